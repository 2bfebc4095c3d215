//! What a verdict does not prove (interfaces.md §3 "source and limits"): where the data came
//! from, and one stable code for each thing the data cannot show.

use serde::{Serialize, Serializer};

/// Where the verified data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A document from elsewhere (an upload, a file): its parts may come from several cards.
    Submission,
    /// This program read every file from one card in one session just now.
    LocalRead,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Submission => "submission",
            Source::LocalRead => "local_read",
        }
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One thing a report does not prove. Declared in the order reports list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Limit {
    /// A driving-history record (運転経歴証明書): authentic, but no driving licence.
    NotADrivingLicence,
    /// A TEST ONLY trust anchor was used: the verdict means nothing outside tests.
    TestAnchors,
    /// No challenge issued by this verifier was answered by a genuine card key: the data may
    /// be a replay of any earlier read.
    NotFresh,
    /// マイナ免許証 licence data from a submission: WEF02 names no one and carries no card key.
    LicenceNotBound,
    /// Card-surface holder data from a submission: nothing ties it to the card that answered.
    HolderNotBound,
    /// An IC licence from a submission: the card has no key, so a copy looks like the card.
    NoCardKeyBinding,
    /// IC licence changes written on the back are shown, but no signature covers them.
    ChangesNotSigned,
}

/// The words shown for a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitWords {
    pub ja: &'static str,
    pub en: &'static str,
}

/// What a person reads for a driving-history record, wherever a result is shown.
pub const DRIVING_HISTORY_WARNING: &str = "運転経歴証明書 — 運転免許ではありません";

impl Limit {
    /// Every limit, in report order.
    pub const ALL: [Limit; 7] = [
        Limit::NotADrivingLicence,
        Limit::TestAnchors,
        Limit::NotFresh,
        Limit::LicenceNotBound,
        Limit::HolderNotBound,
        Limit::NoCardKeyBinding,
        Limit::ChangesNotSigned,
    ];

    /// The stable code in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::NotFresh => "not_fresh",
            Limit::LicenceNotBound => "licence_not_bound",
            Limit::HolderNotBound => "holder_not_bound",
            Limit::NoCardKeyBinding => "no_card_key_binding",
            Limit::NotADrivingLicence => "not_a_driving_licence",
            Limit::ChangesNotSigned => "changes_not_signed",
            Limit::TestAnchors => "test_anchors",
        }
    }

    pub fn from_code(code: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.as_str() == code)
    }

    /// What the limit means, in Japanese and English.
    pub fn words(self) -> LimitWords {
        let (ja, en) = match self {
            Limit::NotFresh => (
                "カードがこの確認のためにその場で応答していません（以前の読取りの再送の可能性）",
                "the card did not answer a challenge of this verifier: the data may be a replay of an earlier read",
            ),
            Limit::LicenceNotBound => (
                "免許情報は氏名の記録ともカードの鍵とも結び付いていません（別のカードの免許情報の可能性）",
                "the licence data names no one and is tied to no card key: it may come from another card",
            ),
            Limit::HolderNotBound => (
                "氏名・住所などは応答したカードと結び付いていません（他人の記録の写しの可能性）",
                "the name, address and birth date are not tied to the card that answered: another person's copy passes",
            ),
            Limit::NoCardKeyBinding => (
                "ICカード免許証には鍵がなく、写しとカードを区別できません",
                "the IC licence has no card key: a copy cannot be told from the card",
            ),
            Limit::NotADrivingLicence => (DRIVING_HISTORY_WARNING, "driving-history record — not a driving licence"),
            Limit::ChangesNotSigned => (
                "裏面の記載事項変更は表示していますが、署名で保護されていません",
                "the changes written on the back are shown, but no signature covers them",
            ),
            Limit::TestAnchors => (
                "テスト用の信頼点を使用しました（テスト専用・本番では無効）",
                "a TEST ONLY trust anchor was used: this result means nothing outside tests",
            ),
        };
        LimitWords { ja, en }
    }
}

impl Serialize for Limit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_those_of_the_interface() {
        let codes: Vec<&str> = Limit::ALL.iter().map(|l| l.as_str()).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted,
            [
                "changes_not_signed",
                "holder_not_bound",
                "licence_not_bound",
                "no_card_key_binding",
                "not_a_driving_licence",
                "not_fresh",
                "test_anchors"
            ]
        );
        for l in Limit::ALL {
            assert_eq!(Limit::from_code(l.as_str()), Some(l));
        }
        assert_eq!(Limit::NotADrivingLicence.words().ja, "運転経歴証明書 — 運転免許ではありません");
        assert_eq!(serde_json::to_string(&Source::LocalRead).unwrap(), "\"local_read\"");
    }
}
