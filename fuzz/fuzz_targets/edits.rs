//! Random incremental edits in UTF-8, UTF-16 and UTF-32 positions, applied through the
//! server's document layer and compared with a reference model after every step; then
//! outline, diagnostics, hover and completion run on the result.
#![no_main]

use jianggao::features::reference::{run, Op};
use jianggao::text::Encoding;
use libfuzzer_sys::fuzz_target;

const PIECES: [&str; 16] = ["一要", "𠮷", "😀", "\r\n", "\n", "\r", "，", "。", "a", "四个意识", "（一）", "xx", "”", "第二，", "讲三点意见", "　　"];

fn decode(data: &[u8]) -> (String, Vec<Op>) {
    let mut chunks = data.chunks(6);
    let start: String = chunks.next().unwrap_or(&[]).iter().map(|b| PIECES[*b as usize % PIECES.len()]).collect();
    let ops = chunks
        .filter(|c| c.len() == 6)
        .map(|c| Op {
            l1: (c[0] % 8) as u32,
            c1: (c[1] % 24) as u32,
            l2: (c[2] % 8) as u32,
            c2: (c[3] % 24) as u32,
            text: (0..(c[4] % 4)).map(|k| PIECES[(c[5] as usize + k as usize * 7) % PIECES.len()]).collect(),
            enc: [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32][(c[4] / 4 % 3) as usize],
        })
        .collect();
    (start, ops)
}

fuzz_target!(|data: &[u8]| {
    let (start, ops) = decode(data);
    if let Err(e) = run(&start, &ops) {
        panic!("{e}");
    }
});
