//! Country → continent, for shipping zones that list continents (WooCommerce's
//! `i18n/continents.php` grouping).

/// The continent code (`AF`, `AN`, `AS`, `EU`, `NA`, `OC`, `SA`) of a country code.
pub fn continent_of(country: &str) -> Option<&'static str> {
    let country = country.trim().to_ascii_uppercase();
    CONTINENTS
        .iter()
        .find(|(_, countries)| countries.split(' ').any(|code| code == country))
        .map(|(continent, _)| *continent)
}

const CONTINENTS: [(&str, &str); 7] = [
    (
        "AF",
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA \
         MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW",
    ),
    ("AN", "AQ BV GS HM TF"),
    (
        "AS",
        "AE AF AM AZ BD BH BN BT CC CN CX CY GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ LA \
         LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    ),
    (
        "EU",
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI \
         LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK",
    ),
    (
        "NA",
        "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ MS MX \
         NI PA PM PR SV SX TC TT US VC VG VI",
    ),
    (
        "OC",
        "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
    ),
    ("SA", "AR BO BR CL CO EC FK GF GY PE PY SR UY VE"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_map_to_their_continent() {
        assert_eq!(continent_of("US"), Some("NA"));
        assert_eq!(continent_of("gb"), Some("EU"));
        assert_eq!(continent_of("BR"), Some("SA"));
        assert_eq!(continent_of("AU"), Some("OC"));
        assert_eq!(continent_of("JP"), Some("AS"));
        assert_eq!(continent_of("ZA"), Some("AF"));
        assert_eq!(continent_of("XX"), None);
        assert_eq!(continent_of(""), None);
    }
}
