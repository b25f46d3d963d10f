# Homebrew formula for cartd, built from source with cargo.
#
# Homebrew (4.6.4 and later) installs formulae only from a tap, so put this file in one:
#   brew tap-new --no-git local/cartd
#   cp packaging/homebrew/cartd.rb "$(brew --repository local/cartd)/Formula/"
#   brew install --build-from-source local/cartd/cartd   # the release named by url
#   brew install --HEAD local/cartd/cartd                # the repository's main branch
#   brew services start cartd
# (Older Homebrew also takes the path: brew install --build-from-source ./packaging/homebrew/cartd.rb)
#
# At release time: replace OWNER in homepage, url and head with the repository's owner, set
# url to the release tag's source tarball and sha256 to the output of
# `curl -sL <url> | shasum -a 256`. Until then the placeholders cannot be downloaded.
class Cartd < Formula
  desc "CoCart cart REST API in one binary, with no WordPress and no database server"
  homepage "https://github.com/OWNER/cartd"
  url "https://github.com/OWNER/cartd/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  head "https://github.com/OWNER/cartd.git", branch: "main"

  depends_on "rust" => :build

  def install
    system "cargo", "install", *std_cargo_args

    # The example lists every key with its default; keep a pristine copy for reference and
    # derive the installed configuration from it, pointing its paths into Homebrew's prefix.
    pkgshare.install "config/cartd.example.toml"
    config = buildpath/"cartd.toml"
    cp pkgshare/"cartd.example.toml", config
    inreplace config do |s|
      s.gsub!(/^data_path = .*$/, "data_path = \"#{var}/cartd/cartd.redb\"")
      s.gsub!(/^dir = "hooks"$/, "dir = \"#{etc}/cartd/hooks\"")
    end
    # Files installed into etc never overwrite an edited one: Homebrew writes the new
    # version beside it as cartd.toml.default instead.
    (etc/"cartd").install config => "cartd.toml"
  end

  def post_install
    (etc/"cartd/hooks").mkpath
    (var/"cartd").mkpath
    (var/"log").mkpath
  end

  def caveats
    <<~EOS
      Configuration: #{etc}/cartd/cartd.toml (Lua hook scripts in #{etc}/cartd/hooks).
      Data file:     #{var}/cartd/cartd.redb
      A new data file starts with a demo catalog; set `demo = false` under [catalog]
      before the first start of a real shop.
    EOS
  end

  service do
    run [opt_bin/"cartd", "serve", "--config", etc/"cartd/cartd.toml"]
    keep_alive true
    working_dir var/"cartd"
    log_path var/"log/cartd.log"
    error_log_path var/"log/cartd.log"
  end

  test do
    version_output = shell_output("#{bin}/cartd --version")
    assert_match(/^cartd \d+\.\d+\.\d+/, version_output)
    assert_match version.to_s, version_output unless version.head?
    assert_match "configuration OK", shell_output("#{bin}/cartd check --config #{etc}/cartd/cartd.toml")

    port = free_port
    (testpath/"cartd.toml").write <<~TOML
      listen = "127.0.0.1:#{port}"
      data_path = "#{testpath}/cartd.redb"
    TOML
    assert_match "configuration OK", shell_output("#{bin}/cartd check --config #{testpath}/cartd.toml")

    pid = spawn bin/"cartd", "serve", "--config", (testpath/"cartd.toml").to_s
    begin
      health = ""
      20.times do
        sleep 0.5
        health = shell_output("curl -s http://127.0.0.1:#{port}/wp-json/cartd/v1/health", nil)
        break if health.include?("\"status\":\"ok\"")
      end
      assert_match "\"status\":\"ok\"", health
    ensure
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end
end
