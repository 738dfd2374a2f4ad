// Common Filipino given names and surnames (pensioner generation: mostly born 1935-1966).

export const MALE_FIRST_NAMES = [
  'Jose', 'Juan', 'Pedro', 'Antonio', 'Manuel', 'Ricardo', 'Eduardo', 'Roberto', 'Ernesto', 'Rodolfo',
  'Rogelio', 'Danilo', 'Romeo', 'Nestor', 'Felipe', 'Reynaldo', 'Alfredo', 'Arturo', 'Benjamin', 'Carlos',
  'Domingo', 'Efren', 'Fernando', 'Gregorio', 'Isidro', 'Leonardo', 'Mario', 'Narciso', 'Orlando', 'Ramon',
  'Rolando', 'Renato', 'Virgilio', 'Wilfredo', 'Armando', 'Cesar', 'Dante', 'Edgardo', 'Florencio', 'Honorio',
  'Jaime', 'Lorenzo', 'Marcelino', 'Noel', 'Pablo', 'Rufino', 'Teodoro', 'Vicente', 'Zosimo', 'Bienvenido',
] as const;

export const FEMALE_FIRST_NAMES = [
  'Maria', 'Rosario', 'Remedios', 'Lourdes', 'Teresita', 'Corazon', 'Leticia', 'Erlinda', 'Norma', 'Gloria',
  'Perla', 'Luzviminda', 'Milagros', 'Editha', 'Josefina', 'Carmelita', 'Estrella', 'Felicidad', 'Imelda', 'Natividad',
  'Zenaida', 'Adelaida', 'Aurora', 'Cecilia', 'Consuelo', 'Dolores', 'Elena', 'Evangeline', 'Fe', 'Gregoria',
  'Herminia', 'Juanita', 'Lilia', 'Lydia', 'Marites', 'Nenita', 'Ofelia', 'Pacita', 'Purificacion', 'Rebecca',
  'Rosalinda', 'Salvacion', 'Soledad', 'Trinidad', 'Virginia', 'Wilma', 'Yolanda', 'Amparo', 'Belen', 'Caridad',
] as const;

export const SURNAMES = [
  'Dela Cruz', 'Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Torres', 'Tomas',
  'Andrada', 'Castillo', 'Flores', 'Villanueva', 'Ramos', 'Castro', 'Rivera', 'Aquino', 'Navarro', 'Salazar',
  'Mercado', 'Aguilar', 'Gonzales', 'Domingo', 'Soriano', 'Santiago', 'Manalo', 'Pascual', 'Macaraeg', 'Dizon',
  'Panganiban', 'Magbanua', 'Lacson', 'Del Rosario', 'Lim', 'Tan', 'Sy', 'Fernandez', 'Lopez', 'Gutierrez',
  'De Leon', 'De Guzman', 'Valdez', 'Marquez', 'Mariano', 'Aballe', 'Agustin', 'Alcantara', 'Buenaventura', 'Cabrera',
  'Calderon', 'Cortez', 'Dimaculangan', 'Espiritu', 'Evangelista', 'Francisco', 'Gatchalian', 'Hernandez', 'Ignacio', 'Jimenez',
  'Lagman', 'Legaspi', 'Macapagal', 'Malonzo', 'Manalastas', 'Morales', 'Nepomuceno', 'Ortega', 'Pangilinan', 'Quiambao',
  'Rosales', 'Salvador', 'Samonte', 'Sison', 'Tolentino', 'Umali', 'Velasco', 'Villareal', 'Yap', 'Zamora',
] as const;

/** Name suffixes, rare. */
export const SUFFIXES = ['Jr.', 'Sr.', 'II', 'III'] as const;
