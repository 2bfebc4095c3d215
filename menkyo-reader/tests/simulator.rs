//! The simulated card and the reading session: status words, PIN safety, DPIN, removal,
//! and a full read of every persona that then verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use menkyo_core::{CollationNumberB, Context, OneChallenge, TrustStore, UnixTime, verify};
use menkyo_reader::card_profile::*;
use menkyo_reader::read::{ReadOptions, read_card};
use menkyo_reader::session::{KenhojoCredential, LastTry, Pin, ReadError, Session};
use menkyo_reader::simulator::{CardData, SimCard};
use menkyo_reader::{StatusWord, Transport, TransportError};
use serde_json::Value;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn manifest() -> Value {
    serde_json::from_slice(&std::fs::read(vectors().join("manifest.json")).unwrap()).unwrap()
}

fn card(id: &str) -> SimCard {
    SimCard::new(CardData::from_persona(&vectors(), id).unwrap())
}

fn creds(id: &str) -> Value {
    serde_json::from_slice(&std::fs::read(vectors().join("personas").join(id).join("credentials.json")).unwrap())
        .unwrap()
}

fn options(id: &str, use_collation: bool) -> ReadOptions {
    let c = creds(id);
    let kenhojo = if use_collation {
        KenhojoCredential::CollationB(c["collation_number_b"].as_str().unwrap().parse::<CollationNumberB>().unwrap())
    } else {
        KenhojoCredential::Pin(Pin::new(c["kenhojo_pin"].as_str().unwrap()).unwrap())
    };
    ReadOptions {
        licence_pin: c["licence_pin"].as_str().and_then(Pin::new),
        kenhojo: Some(kenhojo),
        birth_date: c["birth_date"].as_str().map(|b| b.parse().unwrap()),
        last_try: LastTry::Refuse,
        challenge: Some(b"a fresh verifier nonce 0123456789".to_vec()),
    }
}

fn sw(card: &mut SimCard, apdu: &[u8]) -> StatusWord {
    let r = card.transmit(apdu).unwrap();
    StatusWord::from_bytes(r[r.len() - 2], r[r.len() - 1])
}

fn select_licence(card: &mut SimCard) {
    let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, 0x10];
    apdu.extend_from_slice(&LICENCE_AID);
    assert_eq!(sw(card, &apdu), StatusWord::OK);
}

fn at() -> UnixTime {
    UnixTime::start_of_jst_day("2026-11-23".parse().unwrap())
}

#[test]
fn every_persona_reads_and_verifies() {
    let m = manifest();
    let trust = TrustStore::load_dir(&vectors().join("trust")).unwrap();
    for (n, p) in m["personas"].as_array().unwrap().iter().enumerate() {
        let id = p["id"].as_str().unwrap();
        let (submission, stats, _) = read_card(card(id), &options(id, n % 2 == 1), at(), &mut |_| {}).unwrap();
        // Exactly the bytes on the card.
        let dir = vectors().join("personas").join(id);
        let licence = submission.licence.as_ref().unwrap();
        assert_eq!(licence.wef02, std::fs::read(dir.join("licence/wef02.bin")).unwrap(), "{id}");
        assert_eq!(submission.kenhojo.as_ref().unwrap().ef0002, std::fs::read(dir.join("kenhojo/ef0002.bin")).unwrap());
        // Read here, answering this reader's own challenge: fresh, and every part from one card.
        let ledger = OneChallenge::new(options(id, false).challenge.unwrap());
        let r = verify(&submission, &trust, &Context::local_read(at()).with_ledger(&ledger)).unwrap().into_report();
        assert_eq!(r.verdict().as_str(), p["verdict"], "{id}: {}", r.to_json_pretty());
        let mut want: Vec<&str> = p["limits"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        want.retain(|l| !["not_fresh", "licence_not_bound", "holder_not_bound"].contains(l));
        let got: Vec<&str> = r.limits().iter().map(|l| l.as_str()).collect();
        assert_eq!(got, want, "{id}");
        // SELECT, WEF01, counter, VERIFY, WEF02, WEF03; SELECT, counter, VERIFY, 4 EFs,
        // challenge; SELECT, SELECT EF 0011, counter, VERIFY, EF 0001, EF 0004, challenge.
        assert_eq!(stats.apdus, 21, "{id}");
        let k = submission.kenkaku.as_ref().unwrap();
        assert_eq!(k.ef0001, std::fs::read(dir.join("kenkaku/ef0001.bin")).unwrap(), "{id}");
        assert!(submission.freshness.as_ref().unwrap().kenkaku_signature.is_some());
    }
}

#[test]
fn falls_back_to_short_reads_when_extended_le_is_refused() {
    let (a, _, _) =
        read_card(card("p02-all-categories"), &options("p02-all-categories", false), at(), &mut |_| {}).unwrap();
    let (b, stats, _) = read_card(
        card("p02-all-categories").without_extended_le(),
        &options("p02-all-categories", false),
        at(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(a.licence.as_ref().unwrap().wef02, b.licence.as_ref().unwrap().wef02);
    assert_eq!(a.kenhojo.as_ref().unwrap().ef0002, b.kenhojo.as_ref().unwrap().ef0002);
    assert!(stats.apdus > 21);
}

#[test]
fn status_words_of_the_card() {
    let mut c = card("p01-standard");
    // Before any SELECT.
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00, 0x10]), StatusWord::NO_CURRENT_EF);
    for aid in [LICENCE_ELF_AID, LICENCE_EXE_AID] {
        let mut apdu = vec![0x00, 0xA4, 0x04, 0x0C, 0x10];
        apdu.extend_from_slice(&aid);
        assert_eq!(sw(&mut c, &apdu), StatusWord::NOT_FOUND);
    }
    select_licence(&mut c);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x86]), StatusWord(0x63CA));
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x82]), StatusWord::NOT_FOUND);
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x9B, 0x00, 0x00]), StatusWord::SECURITY_NOT_SATISFIED);
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x9A, 0x00, 0x00]), StatusWord::OK);
    assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x9A, 0x03, 0x00]), StatusWord::OFFSET_OUT_OF_RANGE);
    assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x99]), StatusWord::NOT_FOUND);
    assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x04, 0x00, 0x01, 0x01]), StatusWord::BAD_P1P2);
    assert_eq!(sw(&mut c, &[0x00, 0x99, 0x00, 0x00]), StatusWord::INS_NOT_SUPPORTED);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x86, 0x04]), StatusWord::WRONG_LENGTH);
    // A wrong PIN counts down; the try that exhausts the counter answers 63C0, then 6984.
    for left in (0..10).rev() {
        assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x86, 0x04, b'0', b'0', b'0', b'0']), StatusWord(0x63C0 | left));
    }
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x86]), StatusWord::BLOCKED);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x86, 0x04, b'1', b'2', b'3', b'4']), StatusWord::BLOCKED);
}

#[test]
fn short_and_extended_le_and_offsets() {
    let mut c = card("p01-standard");
    select_licence(&mut c);
    assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x86, 0x04, b'1', b'2', b'3', b'4']), StatusWord::OK);
    let r = c.transmit(&[0x00, 0xB0, 0x9B, 0x00, 0x00]).unwrap();
    assert_eq!(r.len(), 256 + 2);
    let r = c.transmit(&[0x00, 0xB0, 0x9B, 0x00, 0x00, 0x17, 0x00]).unwrap();
    let wef02 = std::fs::read(vectors().join("personas/p01-standard/licence/wef02.bin")).unwrap();
    assert_eq!(&r[..r.len() - 2], &wef02[..]);
    // Current-EF read at a 15-bit offset.
    let r = c.transmit(&[0x00, 0xB0, 0x01, 0x00, 0x10]).unwrap();
    assert_eq!(&r[..16], &wef02[256..272]);
}

#[test]
fn a_wrong_pin_is_tried_once_and_reported_with_tries_left() {
    let mut o = options("p01-standard", false);
    o.licence_pin = Pin::new("9999");
    let c = card("p01-standard");
    let err = read_card(c, &o, at(), &mut |_| {}).unwrap_err();
    assert_eq!(err, ReadError::WrongCredential { what: "licence PIN (免許の暗証番号)", tries_left: 9 });
    assert_eq!(err.to_string(), "licence PIN (免許の暗証番号) wrong: 9 tries left before the card locks");
}

#[test]
fn no_verify_without_the_counter_and_never_a_second_try() {
    let mut o = options("p01-standard", false);
    o.licence_pin = Pin::new("9999");
    let mut session = Session::new(card("p01-standard")).select_licence().unwrap();
    session.pin_setting().unwrap();
    let counted = session.counter().unwrap();
    assert_eq!(counted.tries_left(), 10);
    let err = counted.verify(o.licence_pin.as_ref(), LastTry::Refuse).unwrap_err();
    assert!(matches!(err, ReadError::WrongCredential { tries_left: 9, .. }));
    // The read above made exactly one VERIFY with data, preceded by the empty one.
    let (_, _, sim) = read_card(card("p01-standard"), &options("p01-standard", false), at(), &mut |_| {}).unwrap();
    let verifies: Vec<&[u8]> =
        sim.trace().iter().filter(|t| t.command[1] == 0x20).map(|t| t.command.as_slice()).collect();
    assert_eq!(
        verifies,
        vec![
            &[0x00, 0x20, 0x00, 0x86][..],
            &[0x00, 0x20, 0x00, 0x86, 0x04],
            &[0x00, 0x20, 0x00, 0x91],
            &[0x00, 0x20, 0x00, 0x91, 0x04],
            &[0x00, 0x20, 0x00, 0x80],
            &[0x00, 0x20, 0x00, 0x80, 0x06]
        ]
    );
    // The input-assist AP's EF 0001 (個人番号) is never selected or read (the kenkaku AP's
    // EF 0001, the age record, is).
    let mut ap: &[u8] = &[];
    for t in sim.trace() {
        if t.command.get(..4) == Some(&[0x00, 0xA4, 0x04, 0x0C][..]) {
            ap = &t.command[5..];
        } else if ap == KENHOJO_AID {
            assert_ne!(t.command.get(..3), Some(&[0x00, 0xB0, 0x81][..]));
            assert_ne!(t.command, [0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x01]);
        }
    }
}

#[test]
fn the_last_try_is_refused_unless_allowed() {
    let mut c = card("p01-standard");
    c.set_tries(LICENCE_PIN_P2, 1);
    let o = options("p01-standard", false);
    let (err, sim) = match read_card(c, &o, at(), &mut |_| {}) {
        Err(e) => (e, None::<SimCard>),
        Ok(_) => panic!("read with one try left"),
    };
    assert_eq!(err, ReadError::LastTryRefused { what: "licence PIN (免許の暗証番号)" });
    drop(sim);
    // Nothing was spent: a fresh check on the same state shows the try is still there.
    let mut c = card("p01-standard");
    c.set_tries(LICENCE_PIN_P2, 1);
    let mut ap = Session::new(c).select_licence().unwrap();
    ap.pin_setting().unwrap();
    let counted = ap.counter().unwrap();
    assert_eq!(counted.tries_left(), 1);
    assert!(matches!(counted.verify(o.licence_pin.as_ref(), LastTry::Refuse), Err(ReadError::LastTryRefused { .. })));

    let mut c = card("p01-standard");
    c.set_tries(LICENCE_PIN_P2, 1);
    let mut o = o;
    o.last_try = LastTry::Allow;
    let (_, _, sim) = read_card(c, &o, at(), &mut |_| {}).unwrap();
    assert_eq!(sim.tries(&LICENCE_AID, LICENCE_PIN_P2), Some(10));
}

#[test]
fn blocked_and_kenhojo_pin_tries() {
    let mut c = card("p01-standard");
    c.set_tries(LICENCE_PIN_P2, 0);
    let err = read_card(c, &options("p01-standard", false), at(), &mut |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "licence PIN (免許の暗証番号) is locked: the holder must have it reset (police or licence centre)"
    );
    let mut o = options("p01-standard", false);
    o.kenhojo = Some(KenhojoCredential::Pin(Pin::new("0000").unwrap()));
    let err = read_card(card("p01-standard"), &o, at(), &mut |_| {}).unwrap_err();
    assert_eq!(
        err,
        ReadError::WrongCredential {
            what: "card-surface PIN (券面事項入力補助用暗証番号)", tries_left: 2
        }
    );
}

#[test]
fn dpin_only_when_the_card_says_no_pin_is_set() {
    let o = options("p10-no-pin", true);
    assert!(o.licence_pin.is_none());
    let (s, _, _) = read_card(card("p10-no-pin"), &o, at(), &mut |_| {}).unwrap();
    assert_eq!(s.licence.as_ref().unwrap().wef01.as_deref(), Some(&[0xC1, 0x01, 0x00][..]));
    // A holder with a PIN: no PIN given means no try at all.
    let mut ap = Session::new(card("p01-standard")).select_licence().unwrap();
    ap.pin_setting().unwrap();
    assert_eq!(ap.counter().unwrap().verify(None, LastTry::Refuse).unwrap_err(), ReadError::LicencePinNeeded);
}

#[test]
fn a_card_without_the_licence_and_a_removed_card() {
    let mut data = CardData::from_persona(&vectors(), "p01-standard").unwrap();
    data.licence = None;
    let err = read_card(SimCard::new(data), &options("p01-standard", false), at(), &mut |_| {}).unwrap_err();
    assert_eq!(err, ReadError::NotALicenceCard);
    assert_eq!(err.to_string(), "this card has no driving-licence data (not a マイナ免許証)");
    for n in [1, 5, 9, 13] {
        let err = read_card(card("p01-standard").remove_after(n), &options("p01-standard", false), at(), &mut |_| {})
            .unwrap_err();
        assert_eq!(err, ReadError::Transport(TransportError::CardRemoved), "after {n}");
    }
}

/// The kenkaku age record: counter before VERIFY, only EF 0001 and EF 0004 read, never the
/// image EFs 0002 and 0005; the last try refused; a card without the AP read without it.
#[test]
fn the_age_record_is_read_with_the_birth_date_and_nothing_else() {
    use menkyo_reader::read::{Step, read_age_record};
    let challenge = b"an age-check challenge 0123456789";
    let birth = "2009-06-01".parse().unwrap();
    let (s, stats, sim) = read_age_record(card("p12-under-18"), birth, challenge, LastTry::Refuse, at()).unwrap();
    assert!(s.licence.is_none() && s.kenhojo.is_none());
    assert_eq!(s.freshness.as_ref().unwrap().challenge, challenge);
    // SELECT AP, SELECT EF 0011, counter, VERIFY, READ 0001, READ 0004, 80 2A.
    assert_eq!(stats.apdus, 7);
    let cmds: Vec<&[u8]> = sim.trace().iter().map(|t| t.command.as_slice()).collect();
    assert_eq!(cmds[1], &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x11][..]);
    assert_eq!(cmds[2], &[0x00, 0x20, 0x00, 0x80][..]);
    assert_eq!(&cmds[3][..5], &[0x00, 0x20, 0x00, 0x80, 0x06][..]);
    assert_eq!(&cmds[4][..4], &[0x00, 0xB0, 0x81, 0x00][..]);
    assert_eq!(&cmds[5][..4], &[0x00, 0xB0, 0x84, 0x00][..]);
    for c in &cmds {
        assert!(
            ![&[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x02][..], &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x05]].contains(c)
        );
        assert!(c.get(..3) != Some(&[0x00, 0xB0, 0x82][..]) && c.get(..3) != Some(&[0x00, 0xB0, 0x85][..]));
    }
    let store = TrustStore::load_dir(&vectors().join("trust")).unwrap();
    let ledger = OneChallenge::new(challenge.to_vec());
    let v = verify(&s, &store, &Context::local_read(at()).with_ledger(&ledger)).unwrap();
    assert_eq!(v.age_check(16).result, Some(true));
    assert_eq!(v.age_check(18).result, Some(false));

    // A wrong birth date costs a try and is reported; the last try is refused.
    let err = read_age_record(card("p12-under-18"), "2009-06-02".parse().unwrap(), challenge, LastTry::Refuse, at())
        .unwrap_err();
    assert!(matches!(err, ReadError::WrongCredential { tries_left: 9, .. }), "{err:?}");
    let mut c = card("p12-under-18");
    c.set_tries(0x91, 1);
    let err = read_age_record(c, birth, challenge, LastTry::Refuse, at()).unwrap_err();
    assert!(matches!(err, ReadError::LastTryRefused { .. }), "{err:?}");

    // No kenkaku AP (6A82): a full read goes on without it, an age check cannot.
    let mut data = CardData::from_persona(&vectors(), "p01-standard").unwrap();
    data.kenkaku = None;
    let mut steps = Vec::new();
    let (s, _, _) =
        read_card(SimCard::new(data.clone()), &options("p01-standard", false), at(), &mut |st| steps.push(st)).unwrap();
    assert!(s.kenkaku.is_none() && s.kenhojo.is_some());
    assert_eq!(s.freshness.as_ref().unwrap().kenkaku_signature, None);
    assert!(steps.contains(&Step::KenkakuMissing));
    let err = read_age_record(SimCard::new(data), birth, challenge, LastTry::Refuse, at()).unwrap_err();
    assert_eq!(err, ReadError::NoKenkaku);

    // Found by attack review: in a full read, a birth date that contradicts the card-surface
    // data just read was still tried on the age record, spending a try. Refused before it.
    let mut o = options("p01-standard", false);
    o.birth_date = Some("1980-02-18".parse().unwrap());
    let mut steps = Vec::new();
    let err = read_card(card("p01-standard"), &o, at(), &mut |st| steps.push(st)).unwrap_err();
    assert_eq!(err, ReadError::BirthDateContradictsCard);
    assert!(steps.contains(&Step::KenhojoRead) && !steps.contains(&Step::Kenkaku), "{steps:?}");
}

/// The licence PIN is asked for only when WEF01 says one is set, after the counter was read.
#[test]
fn the_licence_pin_is_asked_for_only_when_set() {
    use menkyo_reader::read::{PinRequest, read_card_asking};
    let mut asked = Vec::new();
    let mut o = options("p10-no-pin", false);
    o.licence_pin = None;
    let (s, _, _) = read_card_asking(
        card("p10-no-pin"),
        &o,
        &mut |r| {
            asked.push(r);
            None
        },
        at(),
        &mut |_| {},
    )
    .unwrap();
    assert!(asked.is_empty(), "no question for a card without PIN");
    assert!(s.licence.is_some());
    let mut c = card("p01-standard");
    c.set_tries(LICENCE_PIN_P2, 7);
    let mut o = options("p01-standard", false);
    let pin = o.licence_pin.take();
    let (_, _, sim) = read_card_asking(
        c,
        &o,
        &mut |r| {
            asked.push(r);
            pin.clone()
        },
        at(),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(asked, vec![PinRequest::Licence { tries_left: 7 }]);
    assert_eq!(sim.tries(&LICENCE_AID, LICENCE_PIN_P2), Some(10));
    // No answer: nothing is sent.
    let err = read_card_asking(card("p01-standard"), &o, &mut |_| None, at(), &mut |_| {}).unwrap_err();
    assert_eq!(err, ReadError::LicencePinNeeded);
}

/// The probe a counter screen shows before asking: card kind, PIN setting, every counter; it
/// spends no try and reads nothing personal.
#[test]
fn the_probe_reads_settings_and_counters_only() {
    use menkyo_reader::CardKind;
    use menkyo_reader::ic_simulator::SimIcCard;
    use menkyo_reader::probe::{Tries, probe};
    let mut c = card("p01-standard");
    c.set_tries(COLLATION_B_P2, 2);
    let (p, sim) = probe(c).unwrap();
    assert_eq!(p.kind, CardKind::MyNumberLicence);
    assert_eq!(p.pin_set, Some(true));
    assert_eq!(
        (p.licence_pin, p.kenhojo_pin, p.collation_b, p.birth_key),
        (Tries::Left(10), Tries::Left(3), Tries::Left(2), Tries::Left(10))
    );
    assert_eq!(sim.tries(&KENHOJO_AID, COLLATION_B_P2), Some(2));
    assert!(sim.trace().iter().all(|t| !(t.command[1] == 0x20 && t.command.len() > 4)), "no VERIFY with data");
    assert!(sim.trace().iter().all(|t| t.command[1] != 0xB0 || t.command[2] == 0x9A), "only WEF01 is read");
    let (p, _) = probe(card("p10-no-pin")).unwrap();
    assert_eq!(p.pin_set, Some(false));
    let vectors = vectors();
    let (p, _) = probe(SimIcCard::from_persona(&vectors, "ic02-spec-008").unwrap()).unwrap();
    assert_eq!(
        (p.kind, p.pin_set, p.licence_pin, p.ic_pin2),
        (CardKind::IcLicence, Some(true), Tries::Left(3), Tries::Left(3))
    );
    let (p, _) = probe(SimIcCard::from_persona(&vectors, "ic03-no-pin").unwrap()).unwrap();
    assert_eq!(p.pin_set, Some(false));
    let (p, _) = probe(SimIcCard::from_persona(&vectors, "ic08-pin1-blocked").unwrap()).unwrap();
    assert_eq!(p.licence_pin, Tries::Blocked);
}
