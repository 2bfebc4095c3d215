//! A full read of the largest persona through the simulator with 20 ms per APDU: APDU count,
//! bytes and wall time, against the minimum (selects + counter reads + verifies + one read per
//! EF + the challenge, for the licence AP, the input-assist AP and the kenkaku age record).
//! Run: `cargo bench -p menkyo-reader --features simulator --bench read`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::as_conversions)]

use std::path::Path;
use std::time::{Duration, Instant};

use menkyo_core::UnixTime;
use menkyo_reader::read::{ReadOptions, read_card};
use menkyo_reader::session::{KenhojoCredential, LastTry, Pin};
use menkyo_reader::simulator::{CardData, SimCard};

const LATENCY: Duration = Duration::from_millis(20);
/// SELECT, WEF01, counter, VERIFY, WEF02, WEF03 | SELECT, counter, VERIFY, EF 0002/0003/0004/0007,
/// challenge | SELECT, SELECT EF 0011, counter, VERIFY, EF 0001, EF 0004, challenge.
const MINIMUM_APDUS: usize = 21;

fn main() {
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors");
    // The largest persona: most bytes in the EFs read.
    let mut best = (0u64, String::new());
    for entry in std::fs::read_dir(vectors.join("personas")).unwrap() {
        let dir = entry.unwrap().path();
        let size: u64 = ["licence/wef02.bin", "licence/wef03.bin", "kenhojo/ef0002.bin"]
            .iter()
            .map(|f| std::fs::metadata(dir.join(f)).unwrap().len())
            .sum();
        if size > best.0 {
            best = (size, dir.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    let id = best.1;
    let creds: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors.join("personas").join(&id).join("credentials.json")).unwrap())
            .unwrap();
    let opts = ReadOptions {
        licence_pin: creds["licence_pin"].as_str().and_then(Pin::new),
        kenhojo: Some(KenhojoCredential::Pin(Pin::new(creds["kenhojo_pin"].as_str().unwrap()).unwrap())),
        birth_date: creds["birth_date"].as_str().map(|b| b.parse().unwrap()),
        last_try: LastTry::Refuse,
        challenge: Some(vec![0x5A; 32]),
    };
    println!("persona: {id}");
    for (label, extended) in [("extended Le", true), ("short Le only (fallback)", false)] {
        let mut card = SimCard::new(CardData::from_persona(&vectors, &id).unwrap()).with_latency(LATENCY);
        if !extended {
            card = card.without_extended_le();
        }
        let start = Instant::now();
        let (_, stats, _) = read_card(card, &opts, UnixTime::now(), &mut |_| {}).unwrap();
        let wall = start.elapsed();
        let minimum = LATENCY * u32::try_from(MINIMUM_APDUS).unwrap();
        println!(
            "{label:26} APDUs {:3} (minimum {MINIMUM_APDUS}, ratio {:.2})  sent {:5} B  received {:6} B  wall {:6.1} ms (minimum {:.0} ms)",
            stats.apdus,
            stats.apdus as f64 / MINIMUM_APDUS as f64,
            stats.bytes_sent,
            stats.bytes_received,
            wall.as_secs_f64() * 1000.0,
            minimum.as_secs_f64() * 1000.0,
        );
    }
}
