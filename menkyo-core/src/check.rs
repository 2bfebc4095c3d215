//! The checks of a verification (interfaces.md §3): one enum with the stable names of the
//! report and the words people read, so no caller matches check names as strings.

use serde::{Serialize, Serializer};

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Valid,
    Invalid,
    Unchecked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Unchecked => "unchecked",
        }
    }
}

/// Every check a report can hold, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    LicenceParse,
    LicenceSignature,
    LicenceSignerCertificate,
    LicenceExpiry,
    IcLicenceParse,
    IcLicenceSignature,
    IcLicenceSignerCertificate,
    IcLicenceExpiry,
    KenhojoParse,
    KenhojoCertificate,
    KenhojoSignature,
    KenhojoDigest,
    KenkakuParse,
    KenkakuCertificate,
    KenkakuSignature,
    FreshnessCardKey,
    FreshnessSignature,
    FreshnessKenkaku,
}

/// Words for one check: its name, and what its failure means to the person at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckWords {
    pub ja: &'static str,
    pub en: &'static str,
    pub failed_ja: &'static str,
    pub failed_en: &'static str,
}

const fn words(ja: &'static str, en: &'static str, failed_ja: &'static str, failed_en: &'static str) -> CheckWords {
    CheckWords { ja, en, failed_ja, failed_en }
}

impl CheckId {
    /// Every check, in report order.
    pub const ALL: [CheckId; 18] = [
        CheckId::LicenceParse,
        CheckId::LicenceSignature,
        CheckId::LicenceSignerCertificate,
        CheckId::LicenceExpiry,
        CheckId::IcLicenceParse,
        CheckId::IcLicenceSignature,
        CheckId::IcLicenceSignerCertificate,
        CheckId::IcLicenceExpiry,
        CheckId::KenhojoParse,
        CheckId::KenhojoCertificate,
        CheckId::KenhojoSignature,
        CheckId::KenhojoDigest,
        CheckId::KenkakuParse,
        CheckId::KenkakuCertificate,
        CheckId::KenkakuSignature,
        CheckId::FreshnessCardKey,
        CheckId::FreshnessSignature,
        CheckId::FreshnessKenkaku,
    ];

    /// The stable name in reports (interfaces.md §3).
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::LicenceParse => "licence.parse",
            CheckId::LicenceSignature => "licence.signature",
            CheckId::LicenceSignerCertificate => "licence.signer_certificate",
            CheckId::LicenceExpiry => "licence.expiry",
            CheckId::IcLicenceParse => "ic_licence.parse",
            CheckId::IcLicenceSignature => "ic_licence.signature",
            CheckId::IcLicenceSignerCertificate => "ic_licence.signer_certificate",
            CheckId::IcLicenceExpiry => "ic_licence.expiry",
            CheckId::KenhojoParse => "kenhojo.parse",
            CheckId::KenhojoCertificate => "kenhojo.certificate",
            CheckId::KenhojoSignature => "kenhojo.signature",
            CheckId::KenhojoDigest => "kenhojo.digest",
            CheckId::KenkakuParse => "kenkaku.parse",
            CheckId::KenkakuCertificate => "kenkaku.certificate",
            CheckId::KenkakuSignature => "kenkaku.signature",
            CheckId::FreshnessCardKey => "freshness.card_key",
            CheckId::FreshnessSignature => "freshness.signature",
            CheckId::FreshnessKenkaku => "freshness.kenkaku",
        }
    }

    /// The check called `name` in a report.
    pub fn from_name(name: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Japanese and English words for the check and for its failure.
    pub fn words(self) -> CheckWords {
        match self {
            CheckId::LicenceParse => {
                words("免許情報の読取", "licence data", "免許情報を読み取れません", "the licence data cannot be read")
            }
            CheckId::LicenceSignature | CheckId::IcLicenceSignature => words(
                "免許情報の署名",
                "licence signature",
                "免許情報の署名が正しくありません（改ざんの疑い）",
                "the licence signature does not verify (possible tampering)",
            ),
            CheckId::LicenceSignerCertificate | CheckId::IcLicenceSignerCertificate => words(
                "署名者の証明書",
                "signer certificate",
                "署名者（警察庁）の証明書を確認できません",
                "the signer's certificate is not trusted",
            ),
            CheckId::LicenceExpiry | CheckId::IcLicenceExpiry => {
                words("有効期限", "expiry", "免許証の有効期限が切れています", "the licence has expired")
            }
            CheckId::IcLicenceParse => words(
                "ICカード免許証の読取",
                "IC licence data",
                "ICカード免許証の記録を読み取れません",
                "the IC licence data cannot be read",
            ),
            CheckId::KenhojoParse => words(
                "券面事項の読取",
                "card-surface data",
                "券面事項（氏名・住所など）を読み取れません",
                "the card-surface data cannot be read",
            ),
            CheckId::KenhojoCertificate => words(
                "券面事項のJ-LIS証明書",
                "card-surface certificate",
                "券面事項のJ-LIS証明書を確認できません",
                "the card-surface certificate is not trusted",
            ),
            CheckId::KenhojoSignature => words(
                "券面事項の署名",
                "card-surface signature",
                "券面事項の署名が正しくありません",
                "the card-surface signature does not verify",
            ),
            CheckId::KenhojoDigest => words(
                "氏名・住所・生年月日・性別の一致",
                "name, address, birth date, sex",
                "氏名・住所・生年月日・性別が署名と一致しません",
                "name, address, birth date or sex differ from what was signed",
            ),
            CheckId::KenkakuParse => words(
                "年齢記録の読取",
                "age record",
                "券面事項確認APの年齢記録を読み取れません",
                "the age record cannot be read",
            ),
            CheckId::KenkakuCertificate => words(
                "年齢記録のJ-LIS証明書",
                "age record certificate",
                "年齢記録のJ-LIS証明書を確認できません",
                "the age record's certificate is not trusted",
            ),
            CheckId::KenkakuSignature => words(
                "年齢記録の署名",
                "age record signature",
                "年齢記録（生年月日とカードの鍵）の署名が正しくありません",
                "the age record (birth date and card key) signature does not verify",
            ),
            CheckId::FreshnessCardKey => {
                words("カードの鍵", "card key", "カードの鍵を確認できません", "the card key is not certified")
            }
            CheckId::FreshnessSignature | CheckId::FreshnessKenkaku => words(
                "カードの応答",
                "card presence",
                "カードがその場で応答したことを確認できません",
                "the card did not answer this verifier's challenge",
            ),
        }
    }
}

impl Serialize for CheckId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One check with its outcome and a reason a person can read (never personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    name: CheckId,
    status: Status,
    detail: String,
}

impl Check {
    pub(crate) fn new(name: CheckId, status: Status, detail: String) -> Self {
        Self { name, status, detail }
    }

    pub fn id(&self) -> CheckId {
        self.name
    }

    pub fn name(&self) -> &'static str {
        self.name.as_str()
    }

    pub fn status(&self) -> Status {
        self.status
    }

    pub fn detail(&self) -> &str {
        &self.detail
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = CheckId::ALL.iter().map(|c| c.as_str()).collect();
        for c in CheckId::ALL {
            assert_eq!(CheckId::from_name(c.as_str()), Some(c));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CheckId::ALL.len());
        assert_eq!(CheckId::from_name("licence.other"), None);
        assert_eq!(serde_json::to_string(&CheckId::FreshnessKenkaku).unwrap(), "\"freshness.kenkaku\"");
    }
}
