//! Validation of the embedded knowledge base and wrong-forms table.

use jianggao::document::analyze_text;
use jianggao::knowledge::{
    parse_formulas, parse_wrong_forms, Knowledge, Status, Verified, FORMULAS_TOML, WRONG_FORMS_TOML,
};
use std::collections::HashSet;

#[test]
fn formulas_are_complete_unique_and_linked() {
    let formulas = parse_formulas(FORMULAS_TOML).expect("data/formulas.toml parses");
    assert!(formulas.len() >= 250, "{} entries", formulas.len());
    let mut names = HashSet::new();
    for f in &formulas {
        for name in std::iter::once(&f.term).chain(&f.aliases) {
            assert!(names.insert(name.clone()), "duplicate term or alias {name}");
        }
        assert!(!f.definition.trim().is_empty(), "{}: no definition", f.term);
        assert!(
            f.sources.iter().any(|s| s.starts_with("http")),
            "{}: no source",
            f.term
        );
        assert!(!f.category.is_empty(), "{}: no category", f.term);
        match f.verified {
            Verified::Items => assert!(
                f.items.len() >= 2,
                "{}: verified but fewer than two items",
                f.term
            ),
            Verified::TermOnly => assert!(
                f.items.is_empty(),
                "{}: term-only entries claim no items",
                f.term
            ),
            Verified::Unverified => assert!(
                f.unverified
                    .as_deref()
                    .is_some_and(|why| !why.trim().is_empty()),
                "{}: unverified entries say why",
                f.term
            ),
        }
        for item in f
            .items
            .iter()
            .chain(f.former.iter().flat_map(|former| &former.items))
        {
            assert!(
                !item.is_empty() && !item.contains('、'),
                "{}: bad item {item:?}",
                f.term
            );
        }
    }
    for f in formulas.iter().filter(|f| f.status == Status::Superseded) {
        let by = f
            .superseded_by
            .as_deref()
            .unwrap_or_else(|| panic!("{}: superseded without successor", f.term));
        assert!(
            formulas.iter().any(|g| g.term == by),
            "{}: successor {by} missing",
            f.term
        );
    }
    for term in [
        "四个意识",
        "四个全面",
        "一岗双责",
        "两学一做",
        "三会一课",
        "谁主管谁负责",
        "四个自信",
        "两个维护",
        "三个自信",
        "两个坚决维护",
    ] {
        let kb = Knowledge::builtin();
        assert!(kb.lookup(term).is_some(), "{term} missing");
    }
}

/// Schema v2: every entry is dated, every checked list cites a primary text first,
/// ordered lists name the text that fixes their order, terms do not collide with
/// other lists' items unless flagged, and replacements are dated.
#[test]
fn formulas_are_dated_cited_and_unambiguous() {
    use jianggao::knowledge::sources::is_primary;
    let formulas = parse_formulas(FORMULAS_TOML).expect("data/formulas.toml parses");
    let with_items = formulas
        .iter()
        .filter(|f| f.verified == Verified::Items)
        .count();
    assert!(
        with_items >= 350,
        "{with_items} entries with verified items"
    );
    let mut items: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for f in &formulas {
        for item in &f.items {
            items.entry(item.as_str()).or_default().push(&f.term);
        }
    }
    for f in &formulas {
        assert!(f.since.is_some(), "{}: no since", f.term);
        assert!(f.checked.is_some(), "{}: not checked", f.term);
        if f.verified == Verified::Items {
            assert!(
                f.has_primary_source(),
                "{}: the first source is not a primary text: {:?}",
                f.term,
                f.sources.first()
            );
        }
        if f.ordered {
            let src = f.order_source.as_deref().unwrap_or("");
            assert!(
                is_primary(src) && f.sources.iter().any(|s| s == src),
                "{}: ordered without a primary ordering source among its sources",
                f.term
            );
        }
        for name in std::iter::once(&f.term).chain(&f.aliases) {
            let others: Vec<&&str> = items
                .get(name.as_str())
                .map(|o| o.iter().filter(|t| **t != f.term).collect())
                .unwrap_or_default();
            assert!(
                others.is_empty() || f.ambiguous,
                "{name} is also an item of {others:?}: flag it ambiguous"
            );
        }
        for former in &f.former {
            assert!(
                former.items.len() >= 2,
                "{}: a former wording without items",
                f.term
            );
            assert!(
                !former.source.is_empty(),
                "{}: a former wording without a source",
                f.term
            );
        }
    }
    for f in formulas.iter().filter(|f| f.status == Status::Superseded) {
        assert!(
            f.superseded_since.is_some(),
            "{}: superseded without a date",
            f.term
        );
    }
}

/// What a wrong form's `basis` may rest on when it has no `source` URL: the standards
/// and reference works listed in data/README.md ("wrong_forms.toml"), named as there.
const BASIS_AUTHORITIES: [&str; 7] = [
    "GB/T 15834-2011",
    "GB/T 15835-2011",
    "GB/T 9704-2012",
    "《通用规范汉字表》",
    "《第一批异形词整理表》",
    "《现代汉语词典》（第7版）",
    "《中国共产党章程》",
];

#[test]
fn wrong_forms_are_sourced_and_converge() {
    let wrong = parse_wrong_forms(WRONG_FORMS_TOML).expect("data/wrong_forms.toml parses");
    assert!(wrong.len() >= 80, "{} entries", wrong.len());
    let mut seen = HashSet::new();
    let kb = Knowledge::builtin();
    for w in &wrong {
        assert!(seen.insert(w.wrong.clone()), "duplicate {}", w.wrong);
        assert!(!w.right.is_empty() && !w.message.is_empty(), "{}", w.wrong);
        if w.source.is_empty() {
            assert!(
                BASIS_AUTHORITIES.iter().any(|a| w.basis.contains(a)),
                "{}: no source URL, and its basis {:?} names none of {BASIS_AUTHORITIES:?}",
                w.wrong,
                w.basis
            );
        } else {
            assert!(
                w.source.starts_with("https://") || w.source.starts_with("http://"),
                "{}: source {:?} is not a URL",
                w.wrong,
                w.source
            );
        }
        assert_ne!(w.wrong, w.right);
        // Applying the fix in a sentence leaves nothing to fix at that place.
        let sentence = format!("我们要学习{}的内容。", w.right);
        assert!(
            kb.find_wrong_forms(&sentence).is_empty(),
            "{} → {} still flagged",
            w.wrong,
            w.right
        );
    }
}

/// The wrong-form findings of a one-line draft: (start, end) in characters, message.
fn wrong_form_findings(text: &str) -> Vec<(u32, u32, String)> {
    analyze_text(text)
        .diagnostics
        .iter()
        .filter(|d| d.code == "wrong-form")
        .map(|d| (d.span.start.col, d.span.end.col, d.message.clone()))
        .collect()
}

/// Every wrong form in the table is reported, with its own message and exactly on its
/// text, in a sentence built from it; the sentence with its correction is clean. (The
/// sentence is the first of a few that avoids the entry's guards: a guard is a context
/// where the text is right.)
#[test]
fn every_wrong_form_is_flagged_in_a_sentence_and_its_correction_is_not() {
    let wrong = parse_wrong_forms(WRONG_FORMS_TOML).unwrap();
    let contexts = [
        ("会上，我们学习了", "，大家深受教育。"),
        ("会上，我们学习了", "的精神实质。"),
    ];
    let mut failures = Vec::new();
    for w in &wrong {
        let (before, after) = *contexts
            .iter()
            .find(|(before, after)| !w.guarded(before, after))
            .unwrap_or_else(|| panic!("{}: every test sentence hits a guard", w.wrong));
        let at = before.chars().count() as u32;
        let found = wrong_form_findings(&format!("{before}{}{after}", w.wrong));
        let len = w.wrong.chars().count() as u32;
        if !found.contains(&(at, at + len, w.message.clone())) {
            failures.push(format!("{} not flagged on its text: {found:?}", w.wrong));
        }
        let fixed = wrong_form_findings(&format!("{before}{}{after}", w.right));
        if !fixed.is_empty() {
            failures.push(format!(
                "{} → {} still flagged: {fixed:?}",
                w.wrong, w.right
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// README's counts of the knowledge base are the data's.
#[test]
fn readme_counts_match_the_data() {
    let readme = include_str!("../README.md");
    let formulas = parse_formulas(FORMULAS_TOML).unwrap().len();
    let wrong = parse_wrong_forms(WRONG_FORMS_TOML).unwrap().len();
    let with_items = parse_formulas(FORMULAS_TOML)
        .unwrap()
        .iter()
        .filter(|f| f.verified == Verified::Items)
        .count();
    for claim in [
        format!("({formulas} formulas, {wrong} wrong forms,"),
        format!("({formulas} formulas, {wrong} wrong forms)"),
        format!("{with_items} formulas with item lists checked"),
        // The table of what the tests prove.
        format!("| {formulas} formulas and {wrong} wrong forms ("),
        format!("; {with_items} formulas with item lists, each"),
        {
            let data =
                jianggao::knowledge::events::parse_events(jianggao::knowledge::events::EVENTS_TOML)
                    .unwrap();
            let events = data.event.iter().filter(|e| e.verified).count();
            let plans = data.plan.iter().filter(|p| p.verified).count();
            format!("the years of {events} events and {plans} five-year plans")
        },
        {
            let data =
                jianggao::knowledge::events::parse_events(jianggao::knowledge::events::EVENTS_TOML)
                    .unwrap();
            let days = data.observance.iter().filter(|o| o.verified).count();
            format!("the first years of {days} yearly days")
        },
        {
            let phrases = jianggao::knowledge::parse_phrases(jianggao::knowledge::PHRASES_TOML)
                .unwrap()
                .len();
            format!("{phrases} set phrases such as")
        },
    ] {
        assert!(
            readme.contains(&claim),
            "README.md should say {claim:?} (the data has {formulas} formulas, {wrong} wrong forms)"
        );
    }
}

#[test]
fn events_and_plans_are_dated_cited_and_unambiguous() {
    use jianggao::knowledge::events::{parse_events, EVENTS_TOML};
    use jianggao::knowledge::sources::is_primary;
    let data = parse_events(EVENTS_TOML).expect("data/events.toml parses");
    assert!(data.event.len() >= 20, "{} events", data.event.len());
    let mut names = HashSet::new();
    for e in &data.event {
        let label = &e.names[0];
        for name in &e.names {
            assert!(names.insert(name.clone()), "{name} names two events");
        }
        // Longest first: the matcher takes the longest name that fits, and the list is
        // read in that order when its entries are reviewed.
        let lengths: Vec<usize> = e.names.iter().map(|n| n.chars().count()).collect();
        assert!(
            lengths.windows(2).all(|w| w[0] >= w[1]),
            "{label}: names not longest first"
        );
        assert!(
            e.date.starts_with(&e.year.to_string()),
            "{label}: date {} is not in {}",
            e.date,
            e.year
        );
        assert!(
            ["founding", "victory", "birth", "other"].contains(&e.kind.as_str()),
            "{label}: kind {}",
            e.kind
        );
        assert!(!e.checked.is_empty(), "{label}: not dated as checked");
        if e.verified {
            assert!(
                e.sources.first().is_some_and(|s| is_primary(s)),
                "{label}: verified without a primary source first"
            );
        } else {
            assert!(
                e.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
                "{label}: unverified entries say why"
            );
        }
    }
    for o in &data.observance {
        let label = &o.names[0];
        for name in &o.names {
            assert!(
                names.insert(name.clone()),
                "{name} names two events or days"
            );
        }
        let lengths: Vec<usize> = o.names.iter().map(|n| n.chars().count()).collect();
        assert!(
            lengths.windows(2).all(|w| w[0] >= w[1]),
            "{label}: names not longest first"
        );
        let (month, day) = o
            .month_day()
            .unwrap_or_else(|| panic!("{label}: date {}", o.date));
        assert!((1..=12).contains(&month), "{label}: month {month}");
        assert!(day.is_none_or(|d| (1..=31).contains(&d)), "{label}: day");
        assert!((1900..=2026).contains(&o.first_year), "{label}: first year");
        assert!(!o.checked.is_empty(), "{label}: not dated as checked");
        if o.verified {
            assert!(
                o.sources.first().is_some_and(|s| is_primary(s)),
                "{label}: verified without a primary source first"
            );
        } else {
            assert!(
                o.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
                "{label}: unverified entries say why"
            );
        }
    }
    let mut numbers = HashSet::new();
    for p in &data.plan {
        assert!(numbers.insert(p.number), "plan {} twice", p.number);
        assert_eq!(p.last_year, p.first_year + 4, "{}: five years", p.name);
        assert!(
            ["计划", "规划"].contains(&p.kind.as_str()),
            "{}: kind {}",
            p.name,
            p.kind
        );
        if p.verified {
            assert!(
                p.sources.first().is_some_and(|s| is_primary(s)),
                "{}: verified without a primary source first",
                p.name
            );
        }
    }
    // Consecutive plans follow each other (the third began in 1966, after three years
    // of readjustment; every later one the year after the one before ended).
    let mut plans: Vec<_> = data.plan.iter().collect();
    plans.sort_by_key(|p| p.number);
    for w in plans.windows(2) {
        if w[1].number == w[0].number + 1 {
            assert_eq!(
                w[1].first_year,
                w[0].last_year + 1,
                "{} after {}",
                w[1].name,
                w[0].name
            );
        }
    }
}

/// The set phrases are Han phrases of four chars or more, each cited to a primary text,
/// none twice and none that formulas.toml already knows; each is clean in a sentence,
/// and reported there when one of its inner chars is typed with another of the same
/// sound (the first candidate of the probe list that has one).
#[test]
fn set_phrases_are_cited_and_their_slips_are_found() {
    use jianggao::knowledge::{parse_phrases, sources::is_primary, PHRASES_TOML};
    let phrases = parse_phrases(PHRASES_TOML).expect("data/phrases.toml parses");
    assert!(phrases.len() >= 80, "{} phrases", phrases.len());
    let kb = Knowledge::builtin();
    let mut seen = HashSet::new();
    for p in &phrases {
        assert!(seen.insert(&p.text), "{} twice", p.text);
        assert!(
            p.text.chars().count() >= 4
                && p.text
                    .chars()
                    .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: not a phrase of four Han chars or more",
            p.text
        );
        assert!(
            is_primary(&p.source),
            "{}: {} is no primary text",
            p.text,
            p.source
        );
        assert!(p.checked >= p.seen, "{}: checked before its source", p.text);
        assert!(
            kb.lookup(&p.text).is_none() && kb.item_owners(&p.text).is_empty(),
            "{}: formulas.toml holds it already",
            p.text
        );
    }
    let sentence = |phrase: &str| format!("会上，大家围绕{phrase}展开了讨论。");
    let homophone_findings = |text: &str| {
        analyze_text(text)
            .diagnostics
            .iter()
            .filter(|d| d.code == "homophone-slip")
            .count()
    };
    for p in &phrases {
        assert_eq!(
            homophone_findings(&sentence(&p.text)),
            0,
            "{} flagged",
            p.text
        );
    }
    // Chars of one sound (without tone) as an input method offers them.
    let slips: [(char, char); 12] = [
        ('书', '数'),
        ('兴', '星'),
        ('质', '治'),
        ('发', '法'),
        ('代', '带'),
        ('济', '记'),
        ('全', '权'),
        ('力', '立'),
        ('主', '住'),
        ('战', '站'),
        ('治', '制'),
        ('革', '格'),
    ];
    let mut probed = 0;
    for p in &phrases {
        let chars: Vec<char> = p.text.chars().collect();
        let inner = 1..chars.len() - 1;
        let Some((at, typed)) = inner.into_iter().find_map(|i| {
            slips
                .iter()
                .find(|(own, _)| *own == chars[i])
                .map(|&(_, typed)| (i, typed))
        }) else {
            continue;
        };
        let mut slipped = chars.clone();
        slipped[at] = typed;
        let slipped: String = slipped.into_iter().collect();
        assert_eq!(
            homophone_findings(&sentence(&slipped)),
            1,
            "{slipped} (for {}) not reported",
            p.text
        );
        probed += 1;
    }
    assert!(probed >= 20, "only {probed} phrases probed");
}
