import { redirect } from "@remix-run/server-runtime";

/** The dashboard arrives with status tracking; until then home is the clients screen. */
export async function loader() {
  return redirect("/clients");
}
