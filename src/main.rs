use clap::Parser;

fn main() {
    let cli = batchguard::cli::Cli::parse();
    std::process::exit(batchguard::cli::run(cli));
}
