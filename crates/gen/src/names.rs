//! Name pools: common Belgian first and last names per language community, a share of
//! names of other origins (larger in Brussels), and a fixed pool of employers.
//!
//! Every string here is valid UTF-8 without quotes, backslashes or control characters,
//! so it can be written into a JSON string as it is.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

pub(crate) const NL_MALE: &[&str] = &[
    "Jan", "Pieter", "Tom", "Bart", "Wim", "Koen", "Stijn", "Dirk", "Joris", "Kristof", "Luc",
    "Marc", "Peter", "Geert", "Kevin", "Thomas", "Jens", "Wouter", "Filip", "Sven", "Nico",
    "Johan", "Patrick", "Steven", "Jeroen", "Lars", "Ruben", "Frank", "Hans", "Dries",
];
pub(crate) const NL_FEMALE: &[&str] = &[
    "Els",
    "An",
    "Sofie",
    "Lies",
    "Katrien",
    "Nathalie",
    "Ellen",
    "Inge",
    "Hanne",
    "Evi",
    "Sarah",
    "Lotte",
    "Leen",
    "Griet",
    "Veerle",
    "Kim",
    "Marijke",
    "Annelies",
    "Sandra",
    "Ilse",
    "Nele",
    "Eva",
    "Charlotte",
    "Julie",
    "Tine",
    "Joke",
    "Karen",
    "Lien",
    "Silke",
    "Mieke",
];
pub(crate) const NL_LAST: &[&str] = &[
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Hermans",
    "Aerts",
    "Pauwels",
    "Van Damme",
    "Michiels",
    "Vermeulen",
    "Claeys",
    "Martens",
    "Van den Bossche",
    "De Vos",
    "Lemmens",
    "Verstraete",
    "Smets",
    "Stevens",
    "De Backer",
    "Coppens",
    "Hendrickx",
    "Van de Velde",
    "Cools",
    "Lambrechts",
    "De Clercq",
    "Van Dyck",
    "Vandenberghe",
    "Verhoeven",
    "Bogaerts",
    "De Wilde",
    "Vermeersch",
    "Geerts",
    "Desmet",
    "Van Acker",
];
pub(crate) const FR_MALE: &[&str] = &[
    "Pierre",
    "Luc",
    "Michel",
    "Philippe",
    "Olivier",
    "Thierry",
    "Christophe",
    "Nicolas",
    "Laurent",
    "François",
    "Jean",
    "Marc",
    "Didier",
    "Benoît",
    "Sébastien",
    "Julien",
    "Alain",
    "Patrick",
    "Eric",
    "Vincent",
    "Maxime",
    "Antoine",
    "Jérôme",
    "Frédéric",
    "Pascal",
];
pub(crate) const FR_FEMALE: &[&str] = &[
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sophie",
    "Julie",
    "Céline",
    "Aurélie",
    "Valérie",
    "Sandrine",
    "Amélie",
    "Catherine",
    "Anne",
    "Martine",
    "Véronique",
    "Christine",
    "Caroline",
    "Stéphanie",
    "Laura",
    "Camille",
    "Manon",
    "Sarah",
    "Virginie",
    "Emilie",
    "Françoise",
    "Chantal",
];
pub(crate) const FR_LAST: &[&str] = &[
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Laurent",
    "Leclercq",
    "Dumont",
    "Renard",
    "François",
    "Lejeune",
    "Lefebvre",
    "Denis",
    "Mathieu",
    "Henry",
    "Collard",
    "Gilson",
    "Piron",
    "Leroy",
    "Marchal",
    "Hubert",
    "Fontaine",
    "Lemaire",
    "Thiry",
    "Gérard",
    "Noël",
    "Wauters",
    "Michel",
    "Delvaux",
    "Jacquet",
    "Dupuis",
    "Remacle",
    "Pirard",
    "Goffin",
    "Maréchal",
    "Masson",
    "Baudoin",
    "Massart",
    "Poncelet",
    "Lambotte",
];
pub(crate) const DE_MALE: &[&str] = &[
    "Jürgen", "Stefan", "Andreas", "Thomas", "Michael", "Klaus", "Bernd", "Guido", "Dieter",
    "Norbert", "Manfred", "Lukas", "Jan", "Marc", "Tobias",
];
pub(crate) const DE_FEMALE: &[&str] = &[
    "Monika", "Sabine", "Petra", "Claudia", "Andrea", "Birgit", "Ursula", "Karin", "Heike", "Anja",
    "Lena", "Julia", "Nicole", "Sandra", "Tanja",
];
pub(crate) const DE_LAST: &[&str] = &[
    "Schmitz",
    "Kessler",
    "Lentz",
    "Margraff",
    "Heinen",
    "Cremer",
    "Jost",
    "Backes",
    "Müller",
    "Schröder",
    "Mertes",
    "Hilgers",
    "Kohnen",
    "Reuter",
    "Thelen",
    "Lambertz",
    "Meyer",
    "Weber",
    "Gennen",
    "Pauels",
];
/// Names of families of other origins (Moroccan, Turkish, Italian, Polish, Romanian,
/// Congolese, Portuguese, Spanish...), common in every region and most in Brussels.
pub(crate) const OTHER_MALE: &[&str] = &[
    "Mohamed", "Youssef", "Ahmed", "Karim", "Emre", "Mehmet", "Marco", "Giuseppe", "Piotr",
    "Tomasz", "Mamadou", "Ion", "João", "Carlos", "Bilal",
];
pub(crate) const OTHER_FEMALE: &[&str] = &[
    "Fatima",
    "Meryem",
    "Aicha",
    "Nadia",
    "Elif",
    "Ayse",
    "Giulia",
    "Francesca",
    "Anna",
    "Katarzyna",
    "Aminata",
    "Elena",
    "Ana",
    "Maria",
    "Samira",
];
pub(crate) const OTHER_LAST: &[&str] = &[
    "El Amrani",
    "Benali",
    "El Idrissi",
    "Bouzid",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Rossi",
    "Esposito",
    "Russo",
    "Kowalski",
    "Nowak",
    "Popescu",
    "Diallo",
    "Mulamba",
    "Kabongo",
    "Ferreira",
    "Santos",
    "García",
    "Haddad",
];

/// NACE sections with their weight among insured workers in long incapacity (per
/// mille, approximate) and a word for an employer's name in nl, fr, de.
pub(crate) const SECTORS: &[(u8, u16, [&str; 3])] = &[
    (b'A', 10, ["Landbouw", "Agri", "Landwirtschaft"]),
    (b'B', 2, ["Groeven", "Carrières", "Steinbruch"]),
    (b'C', 150, ["Metaal", "Industries", "Metallbau"]),
    (b'D', 5, ["Energie", "Energie", "Energie"]),
    (b'E', 10, ["Recyclage", "Recyclage", "Entsorgung"]),
    (b'F', 80, ["Bouw", "Construction", "Bau"]),
    (b'G', 140, ["Handel", "Commerce", "Handel"]),
    (b'H', 75, ["Transport", "Transports", "Transport"]),
    (b'I', 40, ["Horeca", "Horeca", "Gastronomie"]),
    (b'J', 25, ["IT", "Informatique", "IT"]),
    (b'K', 25, ["Finance", "Finance", "Finanz"]),
    (b'L', 5, ["Vastgoed", "Immobilier", "Immobilien"]),
    (b'M', 40, ["Consult", "Conseil", "Beratung"]),
    (b'N', 95, ["Services", "Services", "Dienste"]),
    (b'O', 65, ["Administratie", "Administration", "Verwaltung"]),
    (b'P', 55, ["Onderwijs", "Enseignement", "Bildung"]),
    (b'Q', 160, ["Zorg", "Soins", "Pflege"]),
    (b'R', 8, ["Cultuur", "Culture", "Kultur"]),
    (b'S', 20, ["Diensten", "Services", "Dienstleistungen"]),
    (b'T', 3, ["Huishoudhulp", "Aide ménagère", "Haushaltshilfe"]),
    (b'U', 1, ["International", "International", "International"]),
];

/// Sector index (into `SECTORS`) drawn by weight.
pub(crate) fn sector(rng: &mut SmallRng) -> usize {
    let total: u32 = SECTORS.iter().map(|s| u32::from(s.1)).sum();
    let mut r = rng.gen_range(0..total);
    for (i, s) in SECTORS.iter().enumerate() {
        let w = u32::from(s.1);
        if r < w {
            return i;
        }
        r -= w;
    }
    SECTORS.len() - 1
}

/// Employers are split by the region of their seat: `EMPLOYER_POOLS[r]` is the id range
/// (0-based, end exclusive) of region `r` in the order flanders, wallonia, brussels,
/// german. 4,000 employers in all.
pub(crate) const EMPLOYER_POOLS: [(u32, u32); 4] =
    [(0, 2300), (2300, 3500), (3500, 3950), (3950, 4000)];

pub(crate) struct Employer {
    pub name: String,
    /// Index into `SECTORS`: an employee's sector is the employer's.
    pub sector: usize,
}

/// The employer pool. Drawn from its own generator (seeded by `seed` alone) so that
/// the pool does not shift the case stream.
pub(crate) fn employers(seed: u64) -> Vec<Employer> {
    let mut rng = SmallRng::seed_from_u64(seed ^ 0x5EED_E3B1_0000_0001);
    let total = EMPLOYER_POOLS[3].1;
    let mut out = Vec::with_capacity(total as usize);
    for id in 0..total {
        let lang = if id < EMPLOYER_POOLS[0].1 {
            0
        } else if id < EMPLOYER_POOLS[1].1 {
            1
        } else if id < EMPLOYER_POOLS[2].1 {
            // Brussels seats: mostly French-speaking names.
            if rng.gen_bool(0.2) {
                0
            } else {
                1
            }
        } else {
            2
        };
        let last = match lang {
            0 => NL_LAST,
            1 => FR_LAST,
            _ => DE_LAST,
        };
        let sector = sector(&mut rng);
        // Non-profit forms (VZW, ASBL, VoG) only in public services, education, care,
        // culture and other services.
        let non_profit =
            matches!(SECTORS[sector].0, b'O' | b'P' | b'Q' | b'R' | b'S') && rng.gen_bool(0.6);
        let form = match (lang, non_profit) {
            (0, true) => "VZW",
            (1, true) => "ASBL",
            (_, true) => "VoG",
            (0, false) => ["NV", "BV", "CV"][rng.gen_range(0..3)],
            (1, false) => ["SA", "SRL", "SC"][rng.gen_range(0..3)],
            _ => ["AG", "GmbH", "PGmbH"][rng.gen_range(0..3)],
        };
        let name = format!(
            "{} {} {form}",
            last[rng.gen_range(0..last.len())],
            SECTORS[sector].2[lang]
        );
        out.push(Employer { name, sector });
    }
    out
}

/// Goals of an action plan, per language (nl, fr, de).
pub(crate) const GOALS: [&[&str]; 3] = [
    &[
        "Gesprek met werkgever over aangepast werk",
        "Stapsgewijze werkhervatting voorbereiden",
        "Opleiding verkennen",
        "Contact met de arbeidsarts",
        "Loopbaanbegeleiding aanvragen",
        "Dagstructuur opbouwen",
    ],
    &[
        "Entretien avec l'employeur sur un travail adapté",
        "Préparer une reprise progressive",
        "Explorer une formation",
        "Contact avec le médecin du travail",
        "Demander un accompagnement de carrière",
        "Construire une structure de journée",
    ],
    &[
        "Gespräch mit dem Arbeitgeber über angepasste Arbeit",
        "Schrittweise Wiederaufnahme vorbereiten",
        "Weiterbildung erkunden",
        "Kontakt mit dem Arbeitsarzt",
        "Laufbahnberatung beantragen",
        "Tagesstruktur aufbauen",
    ],
];
