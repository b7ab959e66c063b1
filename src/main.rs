use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use jianggao::cli;
use std::path::PathBuf;
use std::process::ExitCode;

/// musl's allocator is a lock and a system call away from most allocations; see the
/// `mimalloc` entry in Cargo.toml.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Has mimalloc return freed pages to the system at once. By default it waits a second,
/// and only a thread that allocates again returns its own: the line pass's threads idle
/// between opens, holding what the last one freed. With the 10 MB draft open over LSP,
/// peak RSS was 96 MiB by default and is 76 MiB so (78 MiB with musl's allocator), and
/// opening it again took no longer. (Before mimalloc was built without transparent huge
/// pages, see Cargo.toml, the figures were 140 and 108 MiB.)
#[cfg(target_env = "musl")]
fn return_freed_memory_at_once() {
    // mimalloc.h, v2 and v3: `mi_option_purge_delay` is 15 in `mi_option_t`. Declared
    // here: the crate's bindings of the options need another crate and lack this one.
    const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: sets a plain integer option; mimalloc allows it at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// Has glibc grow its heaps 64 MiB at a time in a one-shot command. By default it asks
/// the kernel for more with each 128 KiB the analysis of a large draft needs, from both
/// threads of the line pass: `check` of the 10 MB draft took some 2 % longer so (153.8
/// against 150.9 ms median, 21 runs each, `GLIBC_TUNABLES=glibc.malloc.top_pad`).
/// Pages are still only made resident when touched; the server keeps the default, as it
/// lives on and gives memory back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn grow_heap_in_large_steps() {
    // malloc.h: `M_TOP_PAD` is -2.
    const M_TOP_PAD: std::ffi::c_int = -2;
    extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: glibc's own call, made before the command allocates from other threads.
    unsafe { mallopt(M_TOP_PAD, 64 << 20) };
}

#[derive(Parser)]
#[command(
    name = "jianggao",
    version,
    about = "讲稿 — language server and checker for Chinese official speech drafts",
    after_help = "Examples:\n  jianggao outline examples/讲话稿示例.txt\n  jianggao check examples/讲话稿示例.txt\n  jianggao check --format json draft.md\n  jianggao check --fix draft.txt\n  jianggao check --fix draft.docx        (writes draft.jianggao.docx with tracked changes and comments)\n  jianggao export draft.txt -o draft.docx (GB/T 9704-2012 layout)\n  jianggao lsp            (started by an editor; speaks LSP on stdin/stdout)\n  jianggao serve --open   (the web page on http://127.0.0.1:7226/)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Language Server Protocol on stdin/stdout.
    Lsp {
        /// Accepted and ignored (VS Code's client appends it).
        #[arg(long)]
        stdio: bool,
    },
    /// Print the outline of numbered points with lengths and speaking times.
    Outline {
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = cli::Format::Text)]
        format: cli::Format,
        /// Speaking rate in 字/分钟 (default 220, or the value in jianggao.toml).
        #[arg(long)]
        rate: Option<f64>,
    },
    /// Check drafts and print diagnostics like a compiler.
    /// Exit status: 0 clean, 1 when an error-level diagnostic is found, 2 on unreadable input.
    Check {
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = cli::Format::Text)]
        format: cli::Format,
        /// Apply all certain fixes: a text file in place (in its own encoding), a .docx
        /// into NAME.jianggao.docx as tracked changes, other findings as comments.
        #[arg(long)]
        fix: bool,
        /// With --fix on a .docx: apply the fixes instead of tracking them.
        #[arg(long, requires = "fix")]
        accept: bool,
        /// With --fix: the file to write (one input only).
        #[arg(short, long, requires = "fix")]
        output: Option<PathBuf>,
        /// With --fix on a .docx: overwrite the input.
        #[arg(long, requires = "fix")]
        in_place: bool,
        /// Glossary and settings file (default: jianggao.toml next to the file or above it).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Lay a draft (.txt, .md or .docx) out as an official document (GB/T 9704-2012).
    Export {
        file: PathBuf,
        /// The .docx to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Glossary and settings file (`[export.fonts]` names the fonts).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Serve the web page (editor, outline, fixes, downloads) on this machine.
    Serve {
        /// Port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = jianggao::web::DEFAULT_PORT)]
        port: u16,
        /// Open the page in the default browser.
        #[arg(long)]
        open: bool,
        /// Interface to listen on (default 127.0.0.1). Any other than loopback makes the
        /// server require a random token in the URL.
        #[arg(long)]
        host: Option<String>,
    },
    /// Print the rule reference.
    Rules {
        /// Print docs/rules.md.
        #[arg(long)]
        markdown: bool,
    },
}

fn main() -> ExitCode {
    #[cfg(target_env = "musl")]
    return_freed_memory_at_once();
    let mut command = Cli::command();
    if asks_for_version() {
        command = command.version(version_line());
    }
    let cli = Cli::from_arg_matches(&command.get_matches()).unwrap_or_else(|e| e.exit());
    if matches!(
        cli.command,
        Command::Outline { .. } | Command::Check { .. } | Command::Export { .. }
    ) {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        grow_heap_in_large_steps();
        jianggao::document::prepare_in_background();
    }
    match cli.command {
        Command::Lsp { .. } => jianggao::lsp::serve(),
        Command::Outline {
            files,
            format,
            rate,
        } => cli::outline(&files, format, rate),
        Command::Check {
            files,
            format,
            fix,
            accept,
            output,
            in_place,
            config,
        } => {
            let fix = fix.then_some(cli::FixOptions {
                accept,
                output,
                in_place,
            });
            cli::check(&files, format, fix.as_ref(), config.as_deref())
        }
        Command::Export {
            file,
            output,
            config,
        } => cli::export(&file, &output, config.as_deref()),
        Command::Rules { markdown } => cli::rules(markdown),
        Command::Serve { port, open, host } => {
            jianggao::web::serve(jianggao::web::Options { host, port, open })
        }
    }
}

/// Whether the command line asks for `--version` / `-V`. The knowledge base is loaded
/// for the version line only then, so other commands start no slower.
fn asks_for_version() -> bool {
    std::env::args_os()
        .skip(1)
        .any(|a| a == "--version" || a == "-V")
}

/// "0.1.0 (knowledge base 2026.12.02: 501 formulas, 359 with item lists, 355 wrong
/// forms)": bug reports name the program and the data it checks with.
fn version_line() -> &'static str {
    let kb = jianggao::knowledge::revision();
    let line = format!(
        "{} (knowledge base {}: {} formulas, {} with item lists, {} wrong forms)",
        env!("CARGO_PKG_VERSION"),
        if kb.data_version.is_empty() {
            "of unknown date"
        } else {
            &kb.data_version
        },
        kb.formulas,
        kb.formulas_with_items,
        kb.wrong_forms
    );
    Box::leak(line.into_boxed_str())
}
