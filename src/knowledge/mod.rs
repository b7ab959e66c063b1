//! The knowledge base: formulas (提法) and known wrong forms, loaded from the data
//! files embedded in the binary and merged with a workspace glossary. Matching is exact
//! dictionary matching (`scanner`, leftmost-longest) over terms and aliases.

pub mod events;
pub mod glossary;
pub mod homophones;
mod patterns;
pub mod pinyin_index;
mod scanner;
pub use scanner::{Start as ScanStart, StartFinder};

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use scanner::PairScanner;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

pub mod sources;

pub const FORMULAS_TOML: &str = include_str!("../../data/formulas.toml");
pub const WRONG_FORMS_TOML: &str = include_str!("../../data/wrong_forms.toml");
/// The `data_version` of the embedded formulas, kept when `Knowledge::builtin` parses
/// them (for `revision`, which would otherwise parse them a second time).
static BUILTIN_DATA_VERSION: OnceLock<String> = OnceLock::new();
/// The same data as JSON (converted by build.rs), which parses several times faster.
const FORMULAS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/formulas.json"));
const WRONG_FORMS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/wrong_forms.json"));
pub const PHRASES_TOML: &str = include_str!("../../data/phrases.toml");
const PHRASES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/phrases.json"));

/// A set phrase of official texts (习近平总书记, 高质量发展): no list and no meaning to
/// explain, only a wording to spell right (see data/phrases.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPhrase {
    pub text: String,
    /// A primary text that writes it word for word.
    pub source: String,
    /// That text's date.
    pub seen: Date,
    pub checked: Date,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseFile {
    #[allow(dead_code)]
    schema_version: u32,
    phrase: Vec<SetPhrase>,
}

pub fn parse_phrases(text: &str) -> Result<Vec<SetPhrase>, String> {
    toml::from_str::<PhraseFile>(text)
        .map(|f| f.phrase)
        .map_err(|e| e.to_string())
}

/// The embedded set phrases (parsed once per process).
fn builtin_phrases() -> &'static [SetPhrase] {
    static PHRASES: OnceLock<Vec<SetPhrase>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        serde_json::from_str::<PhraseFile>(PHRASES_JSON)
            .map(|f| f.phrase)
            .unwrap_or_else(|e| {
                tracing::error!("embedded phrases unreadable: {e}");
                Vec::new()
            })
    })
}

use crate::text::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Current,
    Superseded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verified {
    /// Term and the full item list were checked against the cited source.
    #[default]
    Items,
    /// Only the term and its meaning are known; no item list is claimed.
    TermOnly,
    /// Could not be verified against a primary text: shown in hover, never checked.
    Unverified,
}

/// Where an entry comes from, for hover and go-to-definition.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Provenance {
    #[default]
    Builtin,
    /// A glossary file and the zero-based line of the entry's `term =`.
    Glossary { path: PathBuf, line: u32 },
}

/// One formula (提法). The schema is documented in `data/README.md`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formula {
    pub term: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub items: Vec<String>,
    #[serde(default)]
    pub definition: String,
    #[serde(default)]
    pub origin: String,
    /// When the formulation took effect (its first item list, if it changed since).
    #[serde(default)]
    pub since: Option<Date>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// A primary text fixes the order of the items.
    #[serde(default)]
    pub ordered: bool,
    /// The primary text that fixes the order (one of `sources`).
    #[serde(default)]
    pub order_source: Option<String>,
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub verified: Verified,
    /// Why an entry could not be verified.
    #[serde(default)]
    pub unverified: Option<String>,
    /// When the entry was last checked against its sources.
    #[serde(default)]
    pub checked: Option<String>,
    /// The term is also an ordinary word or another list's item: it never stands for
    /// its list alone (`formula-count`), while its items are checked as any list's.
    #[serde(default)]
    pub ambiguous: bool,
    #[serde(default)]
    pub superseded_by: Option<String>,
    #[serde(default)]
    pub superseded_since: Option<Date>,
    /// For a superseded entry: where the former wording is still written correctly
    /// (regional texts, names of projects set up under it), with a primary text that
    /// does. Its findings are hints, not warnings.
    #[serde(default)]
    pub still_used: Option<String>,
    /// Earlier wordings of the item list, newest first.
    #[serde(default)]
    pub former: Vec<Former>,
    #[serde(default)]
    pub note: Option<String>,
    /// Texts often name only some of the items (a list without a numeric count that
    /// is commonly quoted in part): only order and wording are checked.
    #[serde(default)]
    pub partial_ok: bool,
    /// Texts name all three items or none (不敢腐、不能腐、不想腐): two of them are a slip.
    /// Lists of four or more items are so unless `partial_ok`; of three, often not
    /// (农业、农村; 获得感、幸福感), so this is said per formula.
    #[serde(default)]
    pub always_whole: bool,
    /// Other wordings of an item that primary texts use too (新三样: 电动汽车 or
    /// 新能源汽车), by the item as `items` words it.
    #[serde(default)]
    pub variants: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(skip)]
    pub provenance: Provenance,
}

/// An earlier item list of a formula, in force until `until`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Former {
    pub items: Vec<String>,
    pub until: Date,
    #[serde(default)]
    pub since: Option<Date>,
    #[serde(default)]
    pub source: String,
}

impl Formula {
    /// Whether `text` words `item` (as `items` has it, or one of its variants).
    pub fn words_item(&self, item: &str, text: &str) -> bool {
        item == text
            || self
                .variants
                .get(item)
                .is_some_and(|v| v.iter().any(|w| w == text))
    }

    /// Items a checker may compare a writer's list with.
    pub fn checked_items(&self) -> &[String] {
        if self.verified == Verified::Items && self.items.len() >= 2 {
            &self.items
        } else {
            &[]
        }
    }

    /// The item list of version `v`: 0 is the current one, k the k-th former one.
    pub fn version_items(&self, v: u16) -> &[String] {
        match v {
            0 => self.checked_items(),
            k => self
                .former
                .get(k as usize - 1)
                .filter(|_| self.verified == Verified::Items)
                .map(|f| f.items.as_slice())
                .unwrap_or(&[]),
        }
    }

    /// The dates version `v` of the item list was in force: [from, until).
    pub fn version_dates(&self, v: u16) -> (Option<Date>, Option<Date>) {
        match v {
            0 => (self.former.first().map(|f| f.until).or(self.since), None),
            k => {
                let k = k as usize;
                let until = self.former.get(k - 1).map(|f| f.until);
                let from = self
                    .former
                    .get(k)
                    .map(|f| f.until)
                    .or(self.former.get(k - 1).and_then(|f| f.since))
                    .or(self.since);
                (from, until)
            }
        }
    }

    /// The count a numeric abbreviation announces (四个意识 → 4), if any.
    pub fn announced_count(&self) -> Option<u32> {
        crate::text::numerals::count_at_start(&self.term)
    }

    /// The first source is a page of a state organ or state medium.
    pub fn has_primary_source(&self) -> bool {
        self.sources.first().is_some_and(|s| sources::is_primary(s))
    }

    /// The text that fixes the order of the items is a page of a state organ or medium.
    pub fn has_primary_order_source(&self) -> bool {
        self.order_source
            .as_deref()
            .is_some_and(sources::is_primary)
    }
}

/// A known wrong form and its correction.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WrongForm {
    pub wrong: String,
    pub right: String,
    pub message: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub basis: String,
    #[serde(default)]
    pub certain: bool,
    #[serde(default)]
    pub category: String,
    /// When the norm took effect: the form is wrong only in drafts dated on or after
    /// it (建国以来 was the usage of the 1981 resolution; 新中国成立以来 that of 2021).
    #[serde(default)]
    pub since: Option<Date>,
    /// Text right after the match that makes it correct (政府报告厅).
    #[serde(default)]
    pub not_before: Vec<String>,
    /// Text right before the match that makes it correct.
    #[serde(default)]
    pub not_after: Vec<String>,
    /// Text right before the match that makes it wrong whatever follows, over
    /// `not_before`: after 作 or 审议, 政府报告 names the document, so 作政府报告，请予审议
    /// is reported where the verb of 向上级政府报告， is not.
    #[serde(default)]
    pub wrong_after: Vec<String>,
}

impl WrongForm {
    /// Whether the text around a match (`before` it, `after` it) makes it correct.
    pub fn guarded(&self, before: &str, after: &str) -> bool {
        let ends_with_any = |guards: &[String]| guards.iter().any(|g| before.ends_with(g.as_str()));
        !ends_with_any(&self.wrong_after)
            && (self
                .not_before
                .iter()
                .any(|g| after.starts_with(g.as_str()))
                || ends_with_any(&self.not_after))
    }
}

#[derive(Debug, Deserialize)]
struct FormulaFile {
    #[allow(dead_code)]
    schema_version: u32,
    #[serde(default)]
    data_version: String,
    #[serde(default)]
    formula: Vec<Formula>,
}

/// The revision of the built-in data: its date and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub data_version: String,
    pub formulas: usize,
    pub formulas_with_items: usize,
    pub wrong_forms: usize,
}

/// The built-in knowledge base's revision (for `--version` and bug reports).
pub fn revision() -> Revision {
    let kb = Knowledge::builtin();
    Revision {
        data_version: BUILTIN_DATA_VERSION.get().cloned().unwrap_or_default(),
        formulas: kb.formulas.len(),
        formulas_with_items: kb
            .formulas
            .iter()
            .filter(|f| !f.checked_items().is_empty())
            .count(),
        wrong_forms: kb.wrong_forms.len(),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WrongFormFile {
    #[allow(dead_code)]
    schema_version: u32,
    /// Named sets of ordinals that patterns expand over (`patterns`).
    #[serde(default)]
    ordinals: std::collections::BTreeMap<String, Vec<String>>,
    /// Wrong forms written once for a family of names (党的{congress}精神).
    #[serde(default)]
    pattern: Vec<WrongForm>,
    #[serde(default)]
    wrong: Vec<WrongForm>,
}

impl WrongFormFile {
    /// The entries written out, then those the patterns expand to.
    fn into_forms(self) -> Result<Vec<WrongForm>, String> {
        let mut forms = self.wrong;
        forms.extend(patterns::expand(&self.ordinals, &self.pattern)?);
        Ok(forms)
    }
}

/// Where a list item occurs: formula, position in its list, and which version of the
/// list (0: current; k: the k-th former wording).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRef {
    pub formula: u32,
    pub index: u32,
    pub version: u16,
}

/// A term or alias occurrence in a line (columns in chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermHit {
    pub entry: u32,
    pub start: u32,
    pub end: u32,
}

/// The merged, indexed knowledge: built-in entries first, glossary entries after.
pub struct Knowledge {
    pub formulas: Vec<Formula>,
    pub wrong_forms: Vec<WrongForm>,
    /// One scanner over every term spelling, wrong form and list item (see `scan`).
    scanner: PairScanner,
    /// pattern index → what the pattern is (several things for a shared string).
    meanings: Vec<Vec<Meaning>>,
    by_term: HashMap<String, u32>,
    /// Words after the count of names “N个<words>” → (N, formula) of every term and
    /// alias so named, in formula order.
    by_counted_words: HashMap<String, Vec<(u32, u32)>>,
    /// list item text → where it occurs in current and former item lists
    items: HashMap<String, Vec<ItemRef>>,
    /// `item_lens[n]`: some key of `items` is n bytes long (cheap rejection of the
    /// substrings `item_suffixes_of` / `item_prefixes_of` try).
    item_lens: Vec<bool>,
    /// The first and the last chars of the keys of `items`.
    item_first_chars: FxHashSet<char>,
    item_last_chars: FxHashSet<char>,
    /// The last three chars of the current items (of three chars or more) of ordered
    /// lists of three or more (`may_end_ordered_item`).
    ordered_item_ends: FxHashSet<[char; 3]>,
    /// A filter of the last two chars of the keys of `ordered_item_ends`, one bit per
    /// hash of the pair (`pair_bit`): a test in cache before the set, which most
    /// clause ends fail.
    ordered_item_last: Vec<u64>,
    /// Built when completion first asks (see `pinyin`).
    pinyin: OnceLock<pinyin_index::PinyinIndex>,
    homophones: OnceLock<homophones::HomophoneIndex>,
}

impl std::fmt::Debug for Knowledge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Knowledge({} formulas, {} wrong forms)",
            self.formulas.len(),
            self.wrong_forms.len()
        )
    }
}

pub fn parse_formulas(text: &str) -> Result<Vec<Formula>, String> {
    toml::from_str::<FormulaFile>(text)
        .map(|f| f.formula)
        .map_err(|e| e.to_string())
}

pub fn parse_wrong_forms(text: &str) -> Result<Vec<WrongForm>, String> {
    toml::from_str::<WrongFormFile>(text)
        .map_err(|e| e.to_string())?
        .into_forms()
}

fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '"' | '‘' | '’')
}

/// Strips the quotes a writer may put around a whole term (“四个意识” → 四个意识), but
/// not quotes inside it (“144”工作部署 stays as written).
fn bare(s: &str) -> &str {
    let inner = s.trim_start_matches(is_quote).trim_end_matches(is_quote);
    if inner.contains(is_quote) {
        s
    } else {
        inner
    }
}

/// The spellings a term is matched in: as written (quotes around it dropped) and,
/// when it has quotes inside, without any quotes (144工作部署).
fn spellings(s: &str) -> Vec<String> {
    let mut out = vec![bare(s).to_string()];
    let unquoted: String = s.chars().filter(|&c| !is_quote(c)).collect();
    if unquoted != out[0] {
        out.push(unquoted);
    }
    out
}

impl Knowledge {
    pub fn new(formulas: Vec<Formula>, wrong_forms: Vec<WrongForm>) -> Knowledge {
        let mut by_term = HashMap::default();
        for (i, f) in formulas.iter().enumerate() {
            for name in std::iter::once(&f.term)
                .chain(&f.aliases)
                .flat_map(|n| spellings(n))
            {
                if name.is_empty() || by_term.contains_key(&name) {
                    continue;
                }
                by_term.insert(name, i as u32);
            }
        }
        let mut items: HashMap<String, Vec<ItemRef>> = HashMap::default();
        for (i, f) in formulas.iter().enumerate() {
            for version in 0..=f.former.len() as u16 {
                for (j, item) in f.version_items(version).iter().enumerate() {
                    let r = ItemRef {
                        formula: i as u32,
                        index: j as u32,
                        version,
                    };
                    let variants = f.variants.get(item).into_iter().flatten();
                    for spelling in std::iter::once(item).chain(variants) {
                        items.entry(bare(spelling).to_string()).or_default().push(r);
                    }
                }
            }
        }
        let mut by_counted_words: HashMap<String, Vec<(u32, u32)>> = HashMap::default();
        for (i, f) in formulas.iter().enumerate() {
            for name in std::iter::once(&f.term).chain(&f.aliases) {
                // 八个必须坚持（十八大）: the bracket tells entries apart; the name is
                // 八个必须坚持, beside 六个必须坚持.
                let name = name
                    .split_once('（')
                    .map_or(name.as_str(), |(head, _)| head);
                if let Some(((n, _), words)) = split_counted_name(name) {
                    by_counted_words
                        .entry(words)
                        .or_default()
                        .push((n, i as u32));
                }
            }
        }
        let mut item_lens = vec![false; items.keys().map(String::len).max().unwrap_or(0) + 1];
        for key in items.keys() {
            item_lens[key.len()] = true;
        }
        let (scanner, meanings) = build_scanner(&by_term, &wrong_forms, &items);
        let item_first_chars = items.keys().filter_map(|k| k.chars().next()).collect();
        let item_last_chars = items.keys().filter_map(|k| k.chars().next_back()).collect();
        let ordered_item_ends: FxHashSet<[char; 3]> = formulas
            .iter()
            .filter(|f| f.ordered && f.items.len() >= 3)
            .flat_map(|f| &f.items)
            .filter_map(|item| {
                let mut rev = item.chars().rev();
                let (c, b, a) = (rev.next()?, rev.next()?, rev.next()?);
                Some([a, b, c])
            })
            .collect();
        let mut ordered_item_last = vec![0u64; 1024];
        for &[_, b, c] in &ordered_item_ends {
            let bit = pair_bit(b, c);
            ordered_item_last[bit / 64] |= 1 << (bit % 64);
        }
        Knowledge {
            formulas,
            wrong_forms,
            scanner,
            meanings,
            by_term,
            by_counted_words,
            items,
            item_lens,
            item_first_chars,
            item_last_chars,
            ordered_item_ends,
            ordered_item_last,
            pinyin: OnceLock::new(),
            homophones: OnceLock::new(),
        }
    }

    /// The pinyin keys of the formulas for completion, built when first asked: a
    /// tenth of the knowledge base's load time, which checking never needs.
    pub fn pinyin(&self) -> &pinyin_index::PinyinIndex {
        self.pinyin
            .get_or_init(|| pinyin_index::PinyinIndex::new(&self.formulas))
    }

    /// Every term, alias and list item, the right form of each wrong form that holds in
    /// any context (一如既往, 再接再厉) and the set phrases (data/phrases.toml), read as
    /// syllables, to find one typed
    /// with a char of the same sound (`homophones`); built when first asked (a server
    /// builds it as it starts, see `document::warm_up`). A wrong form with guards (世界
    /// 记录 is right in 世界记录了) leaves its right form out: the guards are its own.
    pub fn homophones(&self) -> &homophones::HomophoneIndex {
        self.homophones.get_or_init(|| {
            let unguarded = self.wrong_forms.iter().filter(|w| {
                w.not_before.is_empty() && w.not_after.is_empty() && w.wrong_after.is_empty()
            });
            let rights: rustc_hash::FxHashSet<&str> = unguarded.map(|w| w.right.as_str()).collect();
            let set_phrases: rustc_hash::FxHashSet<&str> =
                builtin_phrases().iter().map(|p| p.text.as_str()).collect();
            let known = |s: &str| {
                self.by_term.contains_key(s)
                    || self.items.contains_key(s)
                    || rights.contains(s)
                    || set_phrases.contains(s)
            };
            let phrases = self
                .by_term
                .keys()
                .chain(self.items.keys())
                .map(String::as_str)
                .chain(rights.iter().copied())
                .chain(set_phrases.iter().copied());
            // Names: the terms and the right forms of the wrong-forms table (习近平新时代
            // 中国特色社会主义思想), not the items and slogans, which read as clauses.
            let is_name = |s: &str| self.by_term.contains_key(s) || rights.contains(s);
            homophones::HomophoneIndex::new(phrases, known, is_name)
        })
    }

    /// The embedded knowledge base (parsed once per process).
    pub fn builtin() -> Arc<Knowledge> {
        static BUILTIN: OnceLock<Arc<Knowledge>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let formulas = serde_json::from_str::<FormulaFile>(FORMULAS_JSON)
                    .map(|f| {
                        let _ = BUILTIN_DATA_VERSION.set(f.data_version);
                        f.formula
                    })
                    .unwrap_or_else(|e| {
                        tracing::error!("embedded formulas.toml is invalid: {e}");
                        Vec::new()
                    });
                let wrong = serde_json::from_str::<WrongFormFile>(WRONG_FORMS_JSON)
                    .map_err(|e| e.to_string())
                    .and_then(WrongFormFile::into_forms)
                    .unwrap_or_else(|e| {
                        tracing::error!("embedded wrong_forms.toml is invalid: {e}");
                        Vec::new()
                    });
                Arc::new(Knowledge::new(formulas, wrong))
            })
            .clone()
    }

    /// Built-in knowledge extended with a glossary (glossary terms override nothing:
    /// a term already known keeps its built-in entry and the glossary entry is skipped).
    pub fn with_glossary(glossary: &glossary::Glossary) -> Arc<Knowledge> {
        if glossary.formulas.is_empty() && glossary.wrong.is_empty() {
            return Knowledge::builtin();
        }
        let base = Knowledge::builtin();
        let mut formulas = base.formulas.clone();
        formulas.extend(glossary.formulas.iter().cloned());
        let mut wrong = base.wrong_forms.clone();
        wrong.extend(glossary.wrong.iter().cloned());
        Arc::new(Knowledge::new(formulas, wrong))
    }

    pub fn lookup(&self, term: &str) -> Option<(u32, &Formula)> {
        let i = *self.by_term.get(bare(term))?;
        Some((i, &self.formulas[i as usize]))
    }

    /// (N, formula) of the terms and aliases named “N个<words>”, in formula order.
    pub fn counted_names(&self, words: &str) -> &[(u32, u32)] {
        self.by_counted_words
            .get(words)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub fn formula(&self, i: u32) -> &Formula {
        &self.formulas[i as usize]
    }

    /// Terms (leftmost-longest), in order.
    pub fn find_terms(&self, line: &str) -> Vec<TermHit> {
        self.scan(line).terms
    }

    /// Wrong forms in `line` as (wrong-form index, byte start, byte end), guards applied.
    pub fn find_wrong_forms(&self, line: &str) -> Vec<(usize, usize, usize)> {
        self.scan(line).wrong_forms
    }

    /// Terms, wrong forms and list items of one line, in one pass of one scanner
    /// (three passes cost more, and their tables fall out of the cache between them).
    /// Items are looked for only on lines with a 、, the only lines split into lists.
    pub fn scan(&self, line: &str) -> LineScan {
        let (chars, index) = crate::text::LineIndex::decode(line);
        self.scan_chars(line, &chars, index.marks)
    }

    /// `scan`, given the chars of `line` and its marks.
    pub fn scan_chars(&self, line: &str, chars: &[char], marks: crate::text::Marks) -> LineScan {
        self.scan_at(line, chars, marks, &self.scanner.starts_in(line))
    }

    /// A `StartFinder` to feed the chars of a line as they are decoded, for `scan_at`.
    pub fn start_finder<'s>(
        &'s self,
        starts: &'s mut Vec<scanner::Start>,
    ) -> scanner::StartFinder<'s> {
        self.scanner.start_finder(starts)
    }

    /// `scan_chars`, where a `StartFinder` fed the chars of `line` found `starts`.
    pub fn scan_at(
        &self,
        line: &str,
        chars: &[char],
        marks: crate::text::Marks,
        starts: &[scanner::Start],
    ) -> LineScan {
        // (byte start, byte end, (formula, first column, column after))
        let mut terms: Vec<(usize, usize, (u32, u32, u32))> = Vec::new();
        let mut wrong: Vec<(usize, usize, u32)> = Vec::new();
        let mut items: Vec<(usize, usize)> = Vec::new();
        let want_items = marks.has('、');
        self.scanner.for_each_match_at(
            line,
            chars,
            want_items,
            starts,
            |cols, (start, end), pattern| {
                for meaning in &self.meanings[pattern as usize] {
                    match *meaning {
                        Meaning::Term(f) => {
                            terms.push((start, end, (f, cols.0 as u32, cols.1 as u32)))
                        }
                        Meaning::Wrong(w) => wrong.push((start, end, w)),
                        Meaning::Item if want_items => items.push((start, end)),
                        Meaning::Item => {}
                    }
                }
            },
        );
        let terms = leftmost_longest(terms)
            .map(|(_, _, (entry, start, end))| TermHit { entry, start, end })
            .collect();
        // Guards first: a form its guard excuses (共建一带一路 before 倡议) must not hide
        // another that overlaps it (一带一路倡议).
        wrong.retain(|&(start, end, w)| {
            !self.wrong_forms[w as usize].guarded(&line[..start], &line[end..])
        });
        let wrong_forms = leftmost_longest(wrong)
            .map(|(start, end, w)| (w as usize, start, end))
            .collect();
        let item_spans = if self.item_lens.first() == Some(&true) {
            None
        } else {
            Some(items)
        };
        LineScan {
            terms,
            wrong_forms,
            item_spans,
        }
    }

    /// Whether words ending in `last` may end with a current item (of three chars or
    /// more) of an ordered list of three or more: a cheap test before clauses are
    /// looked up as items.
    pub fn may_end_ordered_item(&self, last: [char; 3]) -> bool {
        let bit = pair_bit(last[1], last[2]);
        self.ordered_item_last[bit / 64] & (1 << (bit % 64)) != 0
            && self.ordered_item_ends.contains(&last)
    }

    /// The formulas whose (current or former) item list contains `item`.
    pub fn item_owners(&self, item: &str) -> &[ItemRef] {
        self.items.get(bare(item)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every known item `text` ends with, longest first, `text` itself left out (the
    /// piece of an enumeration where a list starts after other words: 我国国际影响力 ends
    /// with 国际影响力 and with 影响力, items of different lists).
    /// `may_start(b)`: whether an item may start at byte `b` of `text` (where one is
    /// known to occur: only suffixes starting there, after their quotes, are looked up).
    pub fn item_suffixes_of<'t>(
        &self,
        text: &'t str,
        may_start: impl Fn(usize) -> bool,
    ) -> Vec<&'t str> {
        // Every candidate key ends where `text` ends, with or without its quotes.
        let ends = |s: &str| {
            s.chars()
                .next_back()
                .is_some_and(|c| self.item_last_chars.contains(&c))
        };
        let empty_key = self.item_lens.first() == Some(&true);
        if !empty_key && !ends(text) && !ends(text.trim_end_matches(is_quote)) {
            return Vec::new();
        }
        text.char_indices()
            .skip(1)
            .map(|(b, _)| &text[b..])
            // A key keeps its quotes when it has quotes inside (see `bare`).
            .filter(|s| {
                may_start(text.len() - s.len())
                    || may_start(text.len() - s.trim_start_matches(is_quote).len())
            })
            .filter(|s| self.may_be_item(s) && self.items.contains_key(bare(s)))
            .collect()
    }

    /// Every known item `text` starts with, longest first, `text` itself left out.
    /// `may_end(b)`: whether an item may end at byte `b` of `text` (as for
    /// `item_suffixes_of`).
    pub fn item_prefixes_of<'t>(
        &self,
        text: &'t str,
        may_end: impl Fn(usize) -> bool,
    ) -> Vec<&'t str> {
        let starts = |s: &str| {
            s.chars()
                .next()
                .is_some_and(|c| self.item_first_chars.contains(&c))
        };
        let empty_key = self.item_lens.first() == Some(&true);
        if !empty_key && !starts(text) && !starts(text.trim_start_matches(is_quote)) {
            return Vec::new();
        }
        let mut out: Vec<&str> = text
            .char_indices()
            .skip(1)
            .map(|(b, _)| &text[..b])
            .filter(|s| may_end(s.len()) || may_end(s.trim_end_matches(is_quote).len()))
            .filter(|s| self.may_be_item(s) && self.items.contains_key(bare(s)))
            .collect();
        out.reverse();
        out
    }

    /// The longest known item `text` starts with, `text` itself included.
    pub fn item_prefix_of<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.may_be_item(text) && self.items.contains_key(bare(text)) {
            return Some(text);
        }
        self.item_prefixes_of(text, |_| true).into_iter().next()
    }

    /// False when `bare(s)` cannot be an item key for its length alone.
    fn may_be_item(&self, s: &str) -> bool {
        let has_len = |n: usize| self.item_lens.get(n).copied().unwrap_or(false);
        // `bare` gives `s` itself or `s` without the quotes at its ends.
        has_len(s.len()) || has_len(s.trim_matches(is_quote).len())
    }
}

/// The bit of the pair of chars `b`, `c` in a filter of 65,536 bits: the top bits of
/// a multiplicative hash of both.
fn pair_bit(b: char, c: char) -> usize {
    let both = (u64::from(b) << 21) | u64::from(c);
    (both.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

/// A name “N个<words>” split into (N, chars of N) and its words (two chars or more).
pub fn split_counted_name(name: &str) -> Option<((u32, usize), String)> {
    let chars: Vec<char> = name.chars().collect();
    let (n, used) = crate::text::numerals::parse_count(&chars)?;
    if chars.get(used) != Some(&'个') {
        return None;
    }
    let words: String = chars[used + 1..].iter().collect();
    (words.chars().count() >= 2).then_some(((n, used), words))
}

/// What a pattern of the line scanner stands for.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    /// A spelling of formula `n`'s term or alias.
    Term(u32),
    /// Wrong form `n`.
    Wrong(u32),
    /// A key of `items`.
    Item,
}

/// Terms, wrong forms and list items found in one line (see `Knowledge::scan`).
#[derive(Debug, Default)]
pub struct LineScan {
    /// Terms, leftmost-longest, in order.
    pub terms: Vec<TermHit>,
    /// (wrong-form index, byte start, byte end), leftmost-longest, guards applied.
    pub wrong_forms: Vec<(usize, usize, usize)>,
    /// Where list items occur (byte ranges, overlapping, by start), on a
    /// line with a 、 (the only lines split into enumerations; empty on others); None
    /// when any text may hold one (an empty item). Every item the enumeration checks
    /// look up is a substring of the text they look in, so where no item occurs they
    /// find nothing.
    pub item_spans: Option<Vec<(usize, usize)>>,
}

/// Of overlapping matches (start, end, what), the ones a leftmost-longest search
/// reports: the longest of those that start first, then the same after its end. Of
/// equal matches the first reported wins, as it does in such a search.
fn leftmost_longest<T: Copy>(
    mut found: Vec<(usize, usize, T)>,
) -> impl Iterator<Item = (usize, usize, T)> {
    found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    let mut after = 0;
    found.into_iter().filter(move |&(start, end, _)| {
        let take = start >= after;
        if take {
            after = end.max(start + 1);
        }
        take
    })
}

/// One scanner over every term spelling, wrong form and item key, each string once
/// with all it stands for; a string that is only an item is optional (see `scan`).
fn build_scanner<'k>(
    by_term: &'k HashMap<String, u32>,
    wrong_forms: &'k [WrongForm],
    items: &'k HashMap<String, Vec<ItemRef>>,
) -> (PairScanner, Vec<Vec<Meaning>>) {
    let mut index: HashMap<&'k str, usize> = HashMap::default();
    let mut patterns: Vec<&'k str> = Vec::new();
    let mut meanings: Vec<Vec<Meaning>> = Vec::new();
    let mut add = |pattern: &'k str, meaning: Meaning| {
        if pattern.is_empty() {
            return;
        }
        let i = *index.entry(pattern).or_insert_with(|| {
            patterns.push(pattern);
            meanings.push(Vec::new());
            patterns.len() - 1
        });
        meanings[i].push(meaning);
    };
    // Terms in the order of their formulas, so that of two formulas with the same
    // spelling the first wins (`by_term` keeps only the first anyway).
    let mut terms: Vec<(&String, &u32)> = by_term.iter().collect();
    terms.sort_by_key(|&(_, &f)| f);
    for (name, &f) in terms {
        add(name, Meaning::Term(f));
    }
    for (w, form) in wrong_forms.iter().enumerate() {
        add(&form.wrong, Meaning::Wrong(w as u32));
    }
    for key in items.keys() {
        add(key, Meaning::Item);
    }
    let flagged: Vec<(&str, bool)> = patterns
        .iter()
        .zip(&meanings)
        .map(|(p, m)| (*p, m.iter().all(|m| matches!(m, Meaning::Item))))
        .collect();
    (PairScanner::new(&flagged), meanings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftmost_longest_prefers_the_longer_term() {
        let f = |t: &str| Formula {
            term: t.into(),
            ..Default::default()
        };
        let kb = Knowledge::new(vec![f("山水林田湖草"), f("山水林田湖草沙")], vec![]);
        let hits = kb.find_terms("统筹山水林田湖草沙系统治理");
        assert_eq!(hits.len(), 1);
        assert_eq!(kb.formula(hits[0].entry).term, "山水林田湖草沙");
        assert_eq!((hits[0].start, hits[0].end), (2, 9));
    }

    #[test]
    fn terms_with_inner_quotes_match_with_and_without_them() {
        let f = Formula {
            term: "“144”工作部署".into(),
            ..Default::default()
        };
        let kb = Knowledge::new(vec![f], vec![]);
        assert_eq!(kb.find_terms("围绕“144”工作部署").len(), 1);
        assert_eq!(kb.find_terms("围绕144工作部署").len(), 1);
        assert!(kb.lookup("144工作部署").is_some());
    }

    #[test]
    fn wrong_form_guards_skip_correct_context() {
        let w = WrongForm {
            wrong: "政府报告".into(),
            right: "政府工作报告".into(),
            not_before: vec!["厅".into(), "，".into()],
            not_after: vec!["市".into()],
            wrong_after: vec!["作".into()],
            ..Default::default()
        };
        let kb = Knowledge::new(vec![], vec![w]);
        assert_eq!(kb.find_wrong_forms("在政府报告厅召开").len(), 0);
        assert_eq!(kb.find_wrong_forms("学习政府报告").len(), 1);
        assert_eq!(kb.find_wrong_forms("及时向市政府报告，").len(), 0);
        // After 作 it names the document, whatever follows.
        assert_eq!(kb.find_wrong_forms("向大会作政府报告，请予审议").len(), 1);
    }

    /// The scanner finds every occurrence of every term, wrong form and item of the
    /// built-in knowledge in real text (brute force as the reference).
    #[test]
    fn scan_finds_what_brute_force_finds() {
        let kb = Knowledge::builtin();
        let text = include_str!("../../examples/讲话稿示例.txt").to_string()
            + include_str!("../../tests/fixtures/errors.txt")
            + include_str!("../../tests/fixtures/central_style.txt");
        let mut checked = 0;
        for line in crate::text::split_lines(&text) {
            let with_items = line.contains('、');
            let mut found = Vec::new();
            let chars: Vec<char> = line.chars().collect();
            kb.scanner
                .for_each_match(line, &chars, with_items, |_, (a, b), id| {
                    found.push((a, b, kb.scanner.pattern(id).to_string()))
                });
            found.sort();
            let mut naive = Vec::new();
            for (id, meanings) in kb.meanings.iter().enumerate() {
                let p = kb.scanner.pattern(id as u32);
                let only_item = meanings.iter().all(|m| matches!(m, Meaning::Item));
                if only_item && !with_items {
                    continue;
                }
                for (at, _) in line.char_indices() {
                    if line[at..].starts_with(p) {
                        naive.push((at, at + p.len(), p.to_string()));
                    }
                }
            }
            naive.sort();
            checked += naive.len();
            assert_eq!(found, naive, "{line}");
        }
        assert!(checked > 100, "only {checked} occurrences in the sample");
    }

    /// The embedded JSON (build.rs) holds exactly what the TOML files say.
    #[test]
    fn builtin_knowledge_is_the_toml_data() {
        let kb = Knowledge::builtin();
        let formulas = parse_formulas(FORMULAS_TOML).unwrap();
        let wrong = parse_wrong_forms(WRONG_FORMS_TOML).unwrap();
        assert_eq!(kb.formulas.len(), formulas.len());
        assert_eq!(format!("{:?}", kb.formulas), format!("{formulas:?}"));
        assert_eq!(format!("{:?}", kb.wrong_forms), format!("{wrong:?}"));
    }
}
