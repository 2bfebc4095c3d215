//! The test personas: synthetic people and licences covering the formats' corners.
//! Every name, address and number here is invented. TEST ONLY.

use menkyo_core::kenhojo::Sex;
use menkyo_core::licence::{Categories, Category, LicenceInfo, LicenceNumber};
use menkyo_core::{AsciiText, Date, Era, JisChar, JisText, WarekiDate};

use crate::Error;

/// The date the manifest's expectations hold on.
pub const VERIFY_AT: &str = "2026-11-23";

/// One synthetic card holder.
#[derive(Debug, Clone)]
pub struct Persona {
    pub id: &'static str,
    pub description: &'static str,
    pub name: &'static str,
    pub address: String,
    pub birth: Date,
    pub sex: Sex,
    /// `None`: no PIN set, the licence AP opens with DPIN.
    pub licence_pin: Option<&'static str>,
    pub kenhojo_pin: &'static str,
    pub card_expiry_year: u16,
    pub security_code: &'static str,
    /// A synthetic 個人番号 for EF 0001 (valid check digit); never in a submission.
    pub individual_number: String,
    pub licence: LicenceInfo,
    /// Index of the portrait in `assets/portraits/`.
    pub portrait: u8,
    /// Expected verdict on [`VERIFY_AT`] with the test trust store.
    pub verdict: &'static str,
    /// Checks expected to fail.
    pub failed_checks: &'static [&'static str],
}

fn date(s: &str) -> Result<Date, Error> {
    s.parse().map_err(|_| Error::Invariant("bad date constant"))
}

fn wareki(era: Era, y: u8, m: u8, d: u8) -> Result<Option<WarekiDate>, Error> {
    WarekiDate::new(era, y, m, d).map(Some).map_err(|_| Error::Invariant("bad era date constant"))
}

fn jis(s: &str) -> Result<JisText, Error> {
    JisText::encode_str(s).map_err(|_| Error::Invariant("text outside JIS X 0208"))
}

/// 11 digits and their check digit.
fn my_number(first_eleven: &str) -> Result<String, Error> {
    let check = menkyo_core::kenhojo::individual_number::check_digit(first_eleven.as_bytes())
        .ok_or(Error::Invariant("bad 個人番号 constant"))?;
    Ok(format!("{first_eleven}{check}"))
}

fn number(s: &str) -> Result<Option<LicenceNumber>, Error> {
    s.parse().map(Some).map_err(|_| Error::Invariant("bad licence number constant"))
}

/// A plain licence: colour, expiry, number, categories; the rest empty.
fn licence(colour: &str, expiry: Option<WarekiDate>, no: &str, held: &[Category]) -> Result<LicenceInfo, Error> {
    Ok(LicenceInfo {
        colour_class: jis(colour)?,
        expiry,
        licence_number: number(no)?,
        categories: Categories::with_held(held),
        ..LicenceInfo::default()
    })
}

/// A 16×16 one-bit glyph (32 bytes) padded to the 256-byte item: a boxed cross.
fn glyph() -> Vec<u8> {
    let mut g = vec![0u8; 256];
    for (row, pair) in g.chunks_mut(2).take(16).enumerate() {
        let bits: u16 = match row {
            0 | 15 => 0xFFFF,
            7 | 8 => 0x8181 | 0x7FFE,
            _ => 0x8001 | (0x8000 >> row) | (1 << row),
        };
        pair.copy_from_slice(&bits.to_be_bytes());
    }
    g
}

#[allow(clippy::too_many_lines)] // one table of personas reads best in one place
pub fn all() -> Result<Vec<Persona>, Error> {
    use Category::*;
    use Era::*;
    let base = |id, description, name, address: &str, birth: &str, sex| -> Result<Persona, Error> {
        Ok(Persona {
            id,
            description,
            name,
            address: address.to_string(),
            birth: date(birth)?,
            sex,
            licence_pin: Some("1234"),
            kenhojo_pin: "5678",
            card_expiry_year: 2035,
            security_code: "2285",
            individual_number: my_number("12345678901")?,
            licence: LicenceInfo::default(),
            portrait: 1,
            verdict: "valid",
            failed_checks: &[],
        })
    };
    let mut out = Vec::new();

    let mut p = base(
        "p01-standard",
        "Plain adult licence holder: 普通, 優良, no conditions, PIN set; licence and certificates valid for years",
        "山田　太郎",
        "東京都千代田区霞が関二丁目１番２号",
        "1980-02-17",
        Sex::Male,
    )?;
    p.licence = licence("優良", wareki(Reiwa, 12, 3, 17)?, "301234567890", &[Ordinary])?;
    p.licence.first_licensed.other = wareki(Heisei, 10, 4, 1)?;
    out.push(p);

    let mut p = base(
        "p02-all-categories",
        "Professional driver holding all 15 categories, 12 condition lines, all three first-licence dates",
        "鈴木　花子",
        "大阪府大阪市北区中之島一丁目３番２０号",
        "1965-07-30",
        Sex::Female,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 10, 8, 30)?, "621234567891", &Category::ALL)?;
    let conditions = [
        "眼鏡等",
        "大型車は眼鏡等",
        "中型車は眼鏡等",
        "準中型車は眼鏡等",
        "普通車は眼鏡等",
        "大型特殊車は眼鏡等",
        "二輪は眼鏡等",
        "けん引は眼鏡等",
        "補聴器",
        "中型車は中型車（８ｔ）に限る",
        "準中型で運転できる準中型車は準中型車（５ｔ）に限る",
        "自動二輪車は小型限定",
    ];
    for (slot, c) in p.licence.conditions.iter_mut().zip(conditions) {
        *slot = jis(c)?;
    }
    p.licence.first_licensed = menkyo_core::licence::FirstLicensed {
        two_small_moped: wareki(Showa, 56, 8, 1)?,
        other: wareki(Showa, 59, 9, 10)?,
        class2: wareki(Heisei, 5, 6, 21)?,
    };
    p.kenhojo_pin = "9012";
    p.card_expiry_year = 2033;
    p.security_code = "7310";
    p.individual_number = my_number("98765432101")?;
    p.portrait = 2;
    out.push(p);

    let mut p = base(
        "p03-showa-gannen",
        "Born on 昭和元年12月25日 (first day of Showa), one condition line, licensed in Showa",
        "佐藤　一郎",
        "京都府京都市上京区下立売通新町西入藪ノ内町",
        "1926-12-25",
        Sex::Male,
    )?;
    p.licence = licence("優良", wareki(Reiwa, 10, 1, 25)?, "501234567892", &[Ordinary])?;
    p.licence.conditions[0] = jis("眼鏡等")?;
    p.licence.first_licensed.other = wareki(Showa, 27, 3, 3)?;
    p.card_expiry_year = 2031;
    p.security_code = "0001";
    p.individual_number = my_number("11112222333")?;
    p.portrait = 3;
    out.push(p);

    let mut p = base(
        "p04-heisei-boundary",
        "Born 平成元年1月8日; first licences on 昭和64年1月7日 and 平成元年1月8日 (era boundary)",
        "高橋　健",
        "愛知県名古屋市中区三の丸三丁目１番２号",
        "1989-01-08",
        Sex::Male,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 9, 2, 8)?, "451234567893", &[Ordinary, OrdinaryMotorcycle])?;
    p.licence.first_licensed.two_small_moped = wareki(Heisei, 1, 1, 8)?;
    p.licence.first_licensed.other = wareki(Showa, 64, 1, 7)?;
    p.licence.conditions[0] = jis("眼鏡等")?;
    p.individual_number = my_number("22223333444")?;
    p.portrait = 4;
    out.push(p);

    let mut p = base(
        "p05-reiwa-gannen",
        "First licence on 令和元年5月1日 (first day of Reiwa), born 平成15年4月30日, 新規 colour",
        "伊藤　さくら",
        "福岡県福岡市博多区東公園７番７号",
        "2003-04-30",
        Sex::Female,
    )?;
    p.licence = licence("新規", wareki(Reiwa, 10, 5, 30)?, "901234567894", &[Ordinary, Moped])?;
    p.licence.first_licensed.two_small_moped = wareki(Reiwa, 1, 5, 1)?;
    p.licence.first_licensed.other = wareki(Heisei, 31, 4, 30)?;
    p.individual_number = my_number("33334444555")?;
    p.portrait = 5;
    out.push(p);

    let mut p = base(
        "p06-gaiji",
        "A condition with an external character (外字 1, glyph in CA) and a remark with 欠字",
        "渡邉　文子",
        "北海道札幌市中央区北三条西六丁目",
        "1975-10-05",
        Sex::Female,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 11, 11, 5)?, "101234567895", &[Ordinary])?;
    let mut cond: Vec<JisChar> = "眼鏡等（".chars().map(JisChar::Char).collect();
    cond.push(JisChar::Gaiji { slot: 1 });
    cond.push(JisChar::Char('）'));
    p.licence.conditions[0] = JisText::encode(&cond).map_err(|_| Error::Invariant("gaiji text"))?;
    p.licence.gaiji[0] = glyph();
    let remark =
        ["旧姓", "渡"].iter().flat_map(|s| s.chars().map(JisChar::Char)).chain([JisChar::Missing]).collect::<Vec<_>>();
    p.licence.remarks[0] = JisText::encode(&remark).map_err(|_| Error::Invariant("missing-char text"))?;
    p.individual_number = my_number("44445555666")?;
    p.portrait = 6;
    out.push(p);

    let mut p = base(
        "p07-expired",
        "Licence expired on 令和6年9月12日 (2024-09-12): verdict invalid with licence.expiry",
        "田中　誠",
        "神奈川県横浜市中区日本大通１",
        "1970-08-12",
        Sex::Male,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 6, 9, 12)?, "461234567896", &[Ordinary])?;
    p.licence.first_licensed.other = wareki(Showa, 63, 10, 1)?;
    p.individual_number = my_number("55556666777")?;
    p.portrait = 7;
    p.verdict = "invalid";
    p.failed_checks = &["licence.expiry"];
    out.push(p);

    let mut p = base(
        "p08-driving-history",
        "Driving-history holder (マイナ経歴証明書): C2/C3/E8 filled, licence items empty",
        "小林　昭",
        "広島県広島市中区基町１０番５２号",
        "1948-03-03",
        Sex::Male,
    )?;
    p.licence = LicenceInfo {
        history_record_date: wareki(Reiwa, 7, 4, 1)?,
        history_class: Some(0x01),
        history_number: Some(AsciiText::try_from("731234567897").map_err(|_| Error::Invariant("history number"))?),
        ..LicenceInfo::default()
    };
    p.licence.first_licensed.other = wareki(Showa, 41, 5, 20)?;
    p.individual_number = my_number("66667777888")?;
    p.portrait = 8;
    out.push(p);

    let long_address = "鹿児島県鹿児島郡十島村宝島字大籠原二千三百四十五番地の六十七　\
                        宝島ロイヤルシーサイドマンション東棟第三別館一二三四号室";
    let mut p = base(
        "p09-long-address",
        "Address over 127 bytes (long-form BER lengths in EF 0002)",
        "中村　大輔",
        long_address,
        "1992-11-30",
        Sex::Male,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 12, 12, 30)?, "921234567898", &[SemiMedium, Ordinary])?;
    p.licence.first_licensed.other = wareki(Heisei, 24, 1, 10)?;
    p.individual_number = my_number("77778888999")?;
    p.portrait = 9;
    out.push(p);

    let mut p = base(
        "p10-no-pin",
        "Holder who set no licence PIN: WEF01 says none, the AP opens with DPIN ****",
        "加藤　美咲",
        "宮城県仙台市青葉区本町三丁目８番１号",
        "1999-06-15",
        Sex::Female,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 11, 7, 15)?, "221234567899", &[Ordinary])?;
    p.licence.first_licensed.other = wareki(Heisei, 30, 2, 2)?;
    p.licence_pin = None;
    p.individual_number = my_number("88889999000")?;
    p.portrait = 10;
    out.push(p);

    let mut p = base(
        "p11-sex-not-applicable",
        "Sex code 9 (not applicable); ordinary and medium with a remark",
        "吉田　光",
        "沖縄県那覇市泉崎一丁目２番２号",
        "1985-12-31",
        Sex::NotApplicable,
    )?;
    p.licence = licence("優良", wareki(Reiwa, 13, 1, 31)?, "971234567890", &[Medium, Ordinary])?;
    p.licence.remarks[0] = jis("記載事項変更あり")?;
    p.licence.first_licensed.other = wareki(Heisei, 16, 3, 1)?;
    p.individual_number = my_number("99990000111")?;
    p.portrait = 11;
    out.push(p);

    let mut p = base(
        "p12-under-18",
        "Seventeen-year-old with a moped licence only (age checks: over 16 yes, over 18 no)",
        "山本　翔",
        "長野県長野市大字南長野字幅下６９２番地２",
        "2009-06-01",
        Sex::Male,
    )?;
    p.licence = licence("新規", wareki(Reiwa, 10, 7, 1)?, "481234567891", &[Moped])?;
    p.licence.first_licensed.two_small_moped = wareki(Reiwa, 7, 8, 20)?;
    p.card_expiry_year = 2029;
    p.individual_number = my_number("12121212121")?;
    p.portrait = 12;
    out.push(p);

    let mut p = base(
        "p13-taisho-last-day",
        "Born in 大正 (大正15年12月24日, its last day); licensed 昭和30年",
        "森　トメ",
        "山形県山形市松波二丁目８番１号",
        "1926-12-24",
        Sex::Female,
    )?;
    p.licence = licence("優良", wareki(Reiwa, 9, 1, 24)?, "181234567892", &[Ordinary])?;
    p.licence.first_licensed.other = wareki(Showa, 30, 6, 1)?;
    p.licence.conditions[0] = jis("眼鏡等")?;
    p.licence.conditions[1] = jis("補聴器")?;
    p.individual_number = my_number("34343434343")?;
    p.portrait = 13;
    out.push(p);

    let mut p = base(
        "p14-expires-on-verify-day",
        "Licence whose last valid day is the manifest's verification date (令和8年11月23日)",
        "清水　大和",
        "静岡県静岡市葵区追手町９番６号",
        "1988-10-23",
        Sex::Male,
    )?;
    p.licence = licence("一般", wareki(Reiwa, 8, 11, 23)?, "491234567893", &[Ordinary, LargeSpecial])?;
    p.licence.first_licensed.other = wareki(Heisei, 20, 12, 1)?;
    p.individual_number = my_number("56565656565")?;
    p.portrait = 14;
    out.push(p);

    Ok(out)
}
