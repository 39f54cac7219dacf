//! Spain's cities and towns → autonomous community: every provincial
//! capital and every municipality of more than 50,000 inhabitants (and a
//! few smaller ones coordinators meet), under their Spanish names and their
//! Catalan, Basque, Galician and Asturian ones, matched without case or
//! accents.

use std::collections::HashMap;
use std::sync::OnceLock;

use taller_model::fold;

const ANDALUCIA: &str = "Andalucía";
const ARAGON: &str = "Aragón";
const ASTURIAS: &str = "Principado de Asturias";
const BALEARS: &str = "Illes Balears";
const CANARIAS: &str = "Canarias";
const CANTABRIA: &str = "Cantabria";
const CYL: &str = "Castilla y León";
const CLM: &str = "Castilla-La Mancha";
const CATALUNA: &str = "Cataluña";
const VALENCIANA: &str = "Comunitat Valenciana";
const EXTREMADURA: &str = "Extremadura";
const GALICIA: &str = "Galicia";
const MADRID: &str = "Comunidad de Madrid";
const MURCIA: &str = "Región de Murcia";
const NAVARRA: &str = "Comunidad Foral de Navarra";
const PAIS_VASCO: &str = "País Vasco";
const RIOJA: &str = "La Rioja";
const CEUTA: &str = "Ceuta";
const MELILLA: &str = "Melilla";

/// (community, names of its cities: every spelling a person may type).
const CITIES: &[(&str, &[&str])] = &[
    (
        ANDALUCIA,
        &[
            "Almería",
            "Cádiz",
            "Córdoba",
            "Granada",
            "Huelva",
            "Jaén",
            "Málaga",
            "Sevilla",
            "Seville",
            "Jerez de la Frontera",
            "Jerez",
            "Algeciras",
            "Marbella",
            "Dos Hermanas",
            "San Fernando",
            "Roquetas de Mar",
            "El Ejido",
            "Mijas",
            "Vélez-Málaga",
            "Vélez Málaga",
            "Fuengirola",
            "Chiclana de la Frontera",
            "Chiclana",
            "Sanlúcar de Barrameda",
            "El Puerto de Santa María",
            "Puerto de Santa María",
            "Alcalá de Guadaíra",
            "Estepona",
            "Torremolinos",
            "Benalmádena",
            "Motril",
            "La Línea de la Concepción",
            "La Línea",
            "Linares",
            "Utrera",
            "Rincón de la Victoria",
            "Écija",
            "Antequera",
            "Ronda",
            "Úbeda",
            "Lucena",
            "Mairena del Aljarafe",
        ],
    ),
    (
        ARAGON,
        &[
            "Zaragoza",
            "Saragossa",
            "Huesca",
            "Osca",
            "Teruel",
            "Calatayud",
        ],
    ),
    (
        ASTURIAS,
        &["Oviedo", "Uviéu", "Gijón", "Xixón", "Avilés", "Avilés"],
    ),
    (
        BALEARS,
        &[
            "Palma",
            "Palma de Mallorca",
            "Ibiza",
            "Eivissa",
            "Calvià",
            "Calviá",
            "Manacor",
            "Maó",
            "Mahón",
            "Maó-Mahón",
            "Ciutadella",
            "Ciudadela",
        ],
    ),
    (
        CANARIAS,
        &[
            "Las Palmas de Gran Canaria",
            "Las Palmas",
            "Santa Cruz de Tenerife",
            "San Cristóbal de La Laguna",
            "La Laguna",
            "Telde",
            "Arona",
            "Santa Lucía de Tirajana",
            "Arrecife",
            "San Bartolomé de Tirajana",
            "Granadilla de Abona",
            "Adeje",
            "Puerto del Rosario",
        ],
    ),
    (CANTABRIA, &["Santander", "Torrelavega"]),
    (
        CYL,
        &[
            "Ávila",
            "Burgos",
            "León",
            "Palencia",
            "Salamanca",
            "Segovia",
            "Soria",
            "Valladolid",
            "Zamora",
            "Ponferrada",
            "Miranda de Ebro",
        ],
    ),
    (
        CLM,
        &[
            "Albacete",
            "Ciudad Real",
            "Cuenca",
            "Guadalajara",
            "Toledo",
            "Talavera de la Reina",
            "Talavera",
            "Puertollano",
        ],
    ),
    (
        CATALUNA,
        &[
            "Barcelona",
            "Girona",
            "Gerona",
            "Lleida",
            "Lérida",
            "Tarragona",
            "L'Hospitalet de Llobregat",
            "L’Hospitalet de Llobregat",
            "Hospitalet de Llobregat",
            "L'Hospitalet",
            "Badalona",
            "Terrassa",
            "Tarrasa",
            "Sabadell",
            "Mataró",
            "Santa Coloma de Gramenet",
            "Cornellà de Llobregat",
            "Cornellá de Llobregat",
            "Sant Boi de Llobregat",
            "San Baudilio de Llobregat",
            "Sant Cugat del Vallès",
            "San Cugat del Vallés",
            "Rubí",
            "Reus",
            "Manresa",
            "Vilanova i la Geltrú",
            "Villanueva y Geltrú",
            "Viladecans",
            "El Prat de Llobregat",
            "Prat de Llobregat",
            "Granollers",
            "Castelldefels",
            "Cerdanyola del Vallès",
            "Cerdañola del Vallés",
            "Mollet del Vallès",
            "Mollet del Vallés",
            "Vic",
            "Figueres",
            "Figueras",
        ],
    ),
    (
        VALENCIANA,
        &[
            "Valencia",
            "València",
            "Alicante",
            "Alacant",
            "Castellón de la Plana",
            "Castelló de la Plana",
            "Castellón",
            "Castelló",
            "Elche",
            "Elx",
            "Torrevieja",
            "Orihuela",
            "Oriola",
            "Benidorm",
            "Gandía",
            "Gandia",
            "Torrent",
            "Torrente",
            "Paterna",
            "Sagunto",
            "Sagunt",
            "Elda",
            "San Vicente del Raspeig",
            "Sant Vicent del Raspeig",
            "Vila-real",
            "Villarreal",
            "Alcoy",
            "Alcoi",
            "Mislata",
            "Dénia",
            "Denia",
            "Alzira",
            "Alcira",
        ],
    ),
    (
        EXTREMADURA,
        &["Badajoz", "Cáceres", "Mérida", "Plasencia", "Don Benito"],
    ),
    (
        GALICIA,
        &[
            "A Coruña",
            "La Coruña",
            "Coruña",
            "Lugo",
            "Ourense",
            "Orense",
            "Pontevedra",
            "Santiago de Compostela",
            "Santiago",
            "Vigo",
            "Ferrol",
            "El Ferrol",
        ],
    ),
    (
        MADRID,
        &[
            "Madrid",
            "Móstoles",
            "Alcalá de Henares",
            "Fuenlabrada",
            "Leganés",
            "Getafe",
            "Alcorcón",
            "Torrejón de Ardoz",
            "Parla",
            "Alcobendas",
            "Las Rozas de Madrid",
            "Las Rozas",
            "San Sebastián de los Reyes",
            "Pozuelo de Alarcón",
            "Rivas-Vaciamadrid",
            "Rivas Vaciamadrid",
            "Coslada",
            "Valdemoro",
            "Majadahonda",
            "Collado Villalba",
            "Aranjuez",
            "Arganda del Rey",
            "Boadilla del Monte",
            "Pinto",
            "Colmenar Viejo",
            "Tres Cantos",
        ],
    ),
    (
        MURCIA,
        &["Murcia", "Cartagena", "Lorca", "Molina de Segura"],
    ),
    (
        NAVARRA,
        &["Pamplona", "Iruña", "Iruñea", "Pamplona-Iruña", "Tudela"],
    ),
    (
        PAIS_VASCO,
        &[
            "Bilbao",
            "Bilbo",
            "Vitoria",
            "Gasteiz",
            "Vitoria-Gasteiz",
            "San Sebastián",
            "Donostia",
            "Donostia-San Sebastián",
            "Donostia / San Sebastián",
            "Barakaldo",
            "Baracaldo",
            "Getxo",
            "Guecho",
            "Irun",
            "Irún",
            "Portugalete",
            "Santurtzi",
            "Santurce",
            "Basauri",
            "Errenteria",
            "Rentería",
            "Eibar",
        ],
    ),
    (RIOJA, &["Logroño", "Calahorra"]),
    (CEUTA, &["Ceuta"]),
    (MELILLA, &["Melilla"]),
];

fn table() -> &'static HashMap<String, &'static str> {
    static TABLE: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::new();
        for (region, names) in CITIES {
            for name in *names {
                map.insert(fold(name), *region);
            }
        }
        map
    })
}

/// The autonomous community of a city as a person typed it: `A Coruña`,
/// `la coruña`, `Donostia`, `Lleida (Lérida)`, `Sevilla, España` and
/// `Alicante/Alacant` all work; `None` when it is not known.
///
/// ```
/// use taller_report::regions::region_of;
/// assert_eq!(region_of("Donostia"), Some("País Vasco"));
/// assert_eq!(region_of("la coruña"), Some("Galicia"));
/// assert_eq!(region_of("Springfield"), None);
/// ```
pub fn region_of(city: &str) -> Option<&'static str> {
    let table = table();
    let whole = fold(city);
    if let Some(region) = table.get(&whole) {
        return Some(region);
    }
    // "Lleida (Lérida)", "Sevilla, España", "Alicante/Alacant": the parts
    // are cut from the text as written, since folding makes punctuation
    // spaces; the first part that names a known city wins.
    city.split(['(', ')', ',', '/', ';'])
        .map(fold)
        .find_map(|part| table.get(&part).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cities_in_every_language_find_their_community() {
        for (city, region) in [
            ("A Coruña", GALICIA),
            ("La Coruña", GALICIA),
            ("Donostia", PAIS_VASCO),
            ("San Sebastián", PAIS_VASCO),
            ("SAN SEBASTIAN DE LOS REYES", MADRID),
            ("Lleida", CATALUNA),
            ("Lérida", CATALUNA),
            ("lerida", CATALUNA),
            ("  sevilla ", ANDALUCIA),
            ("Xixón", ASTURIAS),
            ("Alicante/Alacant", VALENCIANA),
            ("Bilbao (Bizkaia)", PAIS_VASCO),
            ("Madrid, España", MADRID),
            ("L'Hospitalet de Llobregat", CATALUNA),
            ("Vitoria-Gasteiz", PAIS_VASCO),
            ("Santa Cruz de Tenerife", CANARIAS),
            ("Melilla", MELILLA),
        ] {
            assert_eq!(region_of(city), Some(region), "{city}");
        }
        for unknown in ["", "Springfield", "Lisboa", "Madrileño"] {
            assert_eq!(region_of(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn every_provincial_capital_is_known() {
        let capitals = [
            "Vitoria",
            "Albacete",
            "Alicante",
            "Almería",
            "Ávila",
            "Badajoz",
            "Palma",
            "Barcelona",
            "Burgos",
            "Cáceres",
            "Cádiz",
            "Castellón de la Plana",
            "Ciudad Real",
            "Córdoba",
            "A Coruña",
            "Cuenca",
            "Girona",
            "Granada",
            "Guadalajara",
            "San Sebastián",
            "Huelva",
            "Huesca",
            "Jaén",
            "León",
            "Lleida",
            "Logroño",
            "Lugo",
            "Madrid",
            "Málaga",
            "Murcia",
            "Pamplona",
            "Ourense",
            "Oviedo",
            "Palencia",
            "Las Palmas de Gran Canaria",
            "Pontevedra",
            "Salamanca",
            "Santa Cruz de Tenerife",
            "Santander",
            "Segovia",
            "Sevilla",
            "Soria",
            "Tarragona",
            "Teruel",
            "Toledo",
            "Valencia",
            "Valladolid",
            "Bilbao",
            "Zamora",
            "Zaragoza",
            "Ceuta",
            "Melilla",
        ];
        for city in capitals {
            assert!(region_of(city).is_some(), "{city}");
        }
        // No spelling is claimed by two communities.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (region, names) in CITIES {
            for name in *names {
                if let Some(other) = seen.insert(fold(name), region) {
                    assert_eq!(other, *region, "{name}");
                }
            }
        }
    }
}
