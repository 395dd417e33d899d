//! What a person typed into an identity field (resident ID, mobile number, credit code, a
//! reference), before it is parsed. Chinese input methods type full-width digits and letters
//! (`１３８`, `Ｘ`, `＋８６`) and an ideographic space; Unicode compatibility normalisation (NFKC)
//! turns them into the ASCII characters the parsers know, so a correct number is never refused
//! for the keyboard it was typed on.

use unicode_normalization::UnicodeNormalization;

/// `raw` in NFKC: full-width forms as their plain characters, nothing removed.
pub fn fold_width(raw: &str) -> String {
    raw.nfkc().collect()
}

/// `raw` in NFKC with every space (ASCII, ideographic, non-breaking) removed: the form an
/// identity value is parsed from.
pub fn identity_text(raw: &str) -> String {
    raw.nfkc().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_digits_letters_and_signs_become_ascii() {
        assert_eq!(identity_text("５１１１０２　１９９８０３０７　２３１Ｘ"), "51110219980307231X");
        assert_eq!(identity_text("＋８６ １３８－００１３－８０００"), "+86138-0013-8000");
        assert_eq!(identity_text("９１５１１１００ＭＡ６ＣＭＬ２Ｅ１Ｘ"), "91511100MA6CML2E1X");
        assert_eq!(fold_width("０８３３－１２３４５６７ 转 ８"), "0833-1234567 转 8");
    }

    #[test]
    fn chinese_characters_are_left_as_they_are() {
        assert_eq!(identity_text("乐山 市"), "乐山市");
    }

    proptest! {
        #[test]
        fn a_full_width_copy_of_any_ascii_value_reads_as_the_value(s in "[0-9A-Za-z+-]{1,20}") {
            let wide: String = s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect();
            prop_assert_eq!(identity_text(&wide), s.clone());
            prop_assert_eq!(identity_text(&format!(" {s}\u{3000}")), s);
        }
    }
}
