//! Validation of the embedded knowledge base and wrong-forms table.

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

#[test]
fn wrong_forms_are_sourced_and_converge() {
    let wrong = parse_wrong_forms(WRONG_FORMS_TOML).expect("data/wrong_forms.toml parses");
    assert!(wrong.len() >= 80, "{} entries", wrong.len());
    let mut seen = HashSet::new();
    let kb = Knowledge::builtin();
    for w in &wrong {
        assert!(seen.insert(w.wrong.clone()), "duplicate {}", w.wrong);
        assert!(!w.right.is_empty() && !w.message.is_empty(), "{}", w.wrong);
        assert!(
            !w.source.is_empty() || !w.basis.is_empty(),
            "{}: no source or basis",
            w.wrong
        );
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
