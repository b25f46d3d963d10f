//! WordPress's `sanitize_title`, which turns attribute names into attribute keys
//! (`Gift wrap` → `gift-wrap`) and names into slugs.
//!
//! CoCart compares posted variation keys against these keys, so the rule has to match
//! WordPress: accents are removed, letters lower-cased, whitespace becomes `-`, other
//! punctuation is dropped, `_` and `-` are kept, and other non-ASCII characters are
//! percent-encoded the way WordPress encodes them.

/// The slug form of `title` (WordPress `sanitize_title`).
pub fn sanitize_title(title: &str) -> String {
    let mut encoded = String::with_capacity(title.len());
    for character in title.chars() {
        match unaccented(character) {
            Some(replacement) => encoded.push_str(replacement),
            None if character.is_ascii() => encoded.push(character.to_ascii_lowercase()),
            None => {
                for lower in character.to_lowercase() {
                    let mut buffer = [0u8; 4];
                    for byte in lower.encode_utf8(&mut buffer).bytes() {
                        encoded.push_str(&format!("%{byte:02x}"));
                    }
                }
            }
        }
    }
    let mut slug = String::with_capacity(encoded.len());
    let mut pending_dash = false;
    for character in encoded.chars() {
        let kept = match character {
            'a'..='z' | '0'..='9' | '_' | '%' => Some(character),
            '-' => None,
            c if c.is_whitespace() => None,
            _ => continue,
        };
        match kept {
            Some(c) => {
                if pending_dash && !slug.is_empty() {
                    slug.push('-');
                }
                pending_dash = false;
                slug.push(c);
            }
            None => pending_dash = true,
        }
    }
    slug
}

/// The ASCII replacement WordPress's `remove_accents` uses for common Latin letters
/// (lower-cased, since the slug is lower case anyway).
fn unaccented(character: char) -> Option<&'static str> {
    Some(match character {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'Ā' | 'ā' | 'Ă'
        | 'ă' | 'Ą' | 'ą' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Č' | 'č' => "c",
        'Ď' | 'ď' | 'Đ' | 'đ' | 'Ð' | 'ð' => "d",
        'È' | 'É' | 'Ê' | 'Ë' | 'è' | 'é' | 'ê' | 'ë' | 'Ē' | 'ē' | 'Ė' | 'ė' | 'Ę' | 'ę' | 'Ě'
        | 'ě' => "e",
        'Ğ' | 'ğ' => "g",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'ì' | 'í' | 'î' | 'ï' | 'Ī' | 'ī' | 'Į' | 'į' | 'İ' | 'ı' => {
            "i"
        }
        'Ł' | 'ł' | 'Ľ' | 'ľ' => "l",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ň' | 'ň' => "n",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ō' | 'ō' | 'Ő'
        | 'ő' => "o",
        'Œ' | 'œ' => "oe",
        'Ř' | 'ř' => "r",
        'Ś' | 'ś' | 'Š' | 'š' | 'Ş' | 'ş' => "s",
        'ß' => "ss",
        'Ť' | 'ť' | 'Ţ' | 'ţ' => "t",
        'Þ' | 'þ' => "th",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'ù' | 'ú' | 'û' | 'ü' | 'Ū' | 'ū' | 'Ů' | 'ů' | 'Ű' | 'ű' => {
            "u"
        }
        'Ý' | 'ý' | 'ÿ' | 'Ÿ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::sanitize_title;

    #[test]
    fn matches_wordpress_slugs() {
        assert_eq!(sanitize_title("pa_color"), "pa_color");
        assert_eq!(sanitize_title("Size"), "size");
        assert_eq!(sanitize_title("Gift wrap"), "gift-wrap");
        assert_eq!(sanitize_title("  Café  Crème! "), "cafe-creme");
        assert_eq!(sanitize_title("A -- B"), "a-b");
        assert_eq!(sanitize_title("T.Shirt (XL)"), "tshirt-xl");
        assert_eq!(sanitize_title("Ж"), "%d0%b6");
    }
}
