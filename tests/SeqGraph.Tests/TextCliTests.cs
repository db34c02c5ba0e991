namespace SeqGraph.Tests;

/// <summary>The text commands through the real executable.</summary>
public class TextCliTests
{
    [Fact]
    public void TrainSampleEvalAndErrors()
    {
        using var dir = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(dir);
        string run = dir.File("run");
        var (code, output, err) = CliTests.Run("text", "train", "--corpus", corpus, "--out", run, "--steps", "20", "--seq", "10", "--batch", "8",
            "--hidden", "16", "--embed", "8", "--eval-every", "10", "--json");
        Assert.True(code == 0, err);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.Equal(20, (int)summary["steps"]!);
        Assert.True((double)summary["val_bpc"]! > 0);
        foreach (var f in new[] { "config.json", "metrics.csv", "summary.json", "samples.md", "loss.svg", "accuracy.svg", "model.safetensors", "model.json" })
            Assert.True(File.Exists(Path.Combine(run, f)), f);

        var g1 = CliTests.Run("text", "sample", "--checkpoint", run, "--prompt", "the king", "--length", "40", "--temperature", "0", "--count", "1");
        var g2 = CliTests.Run("text", "sample", "--checkpoint", run, "--prompt", "the king", "--length", "40", "--temperature", "0", "--count", "1", "--seed", "9");
        Assert.Equal(0, g1.Code);
        Assert.StartsWith("the king", g1.Out);
        Assert.Equal(g1.Out, g2.Out);
        Assert.Equal("the king".Length + 40, g1.Out.TrimEnd('\n').Length);
        // --prompt - reads the prompt from standard input (its final line break dropped); --count defaults to 1
        using (var p = CliTests.Start("text", "sample", "--checkpoint", run, "--prompt", "-", "--length", "40", "--temperature", "0"))
        {
            p.StandardInput.Write("the king\n");
            p.StandardInput.Close();
            string piped = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            Assert.Equal(g1.Out, piped);
        }

        var s1 = CliTests.Run("text", "sample", "--checkpoint", run, "--length", "60", "--count", "2", "--seed", "3", "--top-k", "5");
        var s2 = CliTests.Run("text", "sample", "--checkpoint", run, "--length", "60", "--count", "2", "--seed", "3", "--top-k", "5");
        Assert.Equal(0, s1.Code);
        Assert.Equal(s1.Out, s2.Out);

        File.WriteAllText(dir.File("other.txt"), "the king had a Zera\n");
        var ev = CliTests.Run("text", "eval", "--checkpoint", run, "--corpus", dir.File("other.txt"), "--json");
        Assert.True(ev.Code == 0, ev.Err);
        var evj = System.Text.Json.Nodes.JsonNode.Parse(ev.Out)!;
        Assert.Equal(1, (int)evj["unknown_characters"]!);

        // on resume, an option that contradicts the checkpoint is an error naming it (the same value is fine)
        var r1 = CliTests.Run("text", "train", "--resume", run, "--hidden", "64", "--steps", "25");
        CliTests.AssertOneErrorLine(r1.Code, r1.Err, "--hidden: the checkpoint in");
        Assert.Contains("was trained with 16, not 64", r1.Err);
        var r2 = CliTests.Run("text", "train", "--resume", run, "--lr-decay", "0.5", "--steps", "25");
        CliTests.AssertOneErrorLine(r2.Code, r2.Err, "--lr-decay:");
        var r3 = CliTests.Run("text", "train", "--resume", run, "--hidden", "16", "--steps", "22", "--json");
        Assert.True(r3.Code == 0, r3.Err);
        Assert.Equal(22, (int)System.Text.Json.Nodes.JsonNode.Parse(r3.Out)!["steps"]!);
        var resumedConfig = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        Assert.Equal("[\"--steps: 20 → 22\"]", resumedConfig["changed_on_resume"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.Equal(22, (int)resumedConfig["steps"]!);
        var fromBest = CliTests.Run("text", "sample", "--checkpoint", Path.Combine(run, "best"), "--prompt", "the king", "--length", "10", "--temperature", "0");
        Assert.True(fromBest.Code == 0, fromBest.Err);
        Assert.StartsWith("the king", fromBest.Out);

        var e1 = CliTests.Run("text", "sample", "--checkpoint", run, "--prompt", "Zebra");
        CliTests.AssertOneErrorLine(e1.Code, e1.Err, "never saw");
        File.WriteAllBytes(dir.File("bad.txt"), new byte[] { 0x61, 0x62, 0xFF, 0x63 });
        var e2 = CliTests.Run("text", "train", "--corpus", dir.File("bad.txt"), "--out", dir.File("r2"), "--steps", "1");
        CliTests.AssertOneErrorLine(e2.Code, e2.Err, "invalid UTF-8 at byte offset 2");
        var e3 = CliTests.Run("text", "train", "--corpus", dir.File("missing.txt"), "--out", dir.File("r3"), "--steps", "1");
        CliTests.AssertOneErrorLine(e3.Code, e3.Err, "missing.txt");
        var st = Path.Combine(run, "model.safetensors");
        File.WriteAllBytes(st, File.ReadAllBytes(st)[..^8]);
        var e4 = CliTests.Run("text", "sample", "--checkpoint", run);
        CliTests.AssertOneErrorLine(e4.Code, e4.Err, "model.safetensors");
        var e5 = CliTests.Run("text", "train", "--corpus", corpus, "--out", dir.File("r5"), "--seq", "0");
        CliTests.AssertOneErrorLine(e5.Code, e5.Err, "--seq");
    }

    private static System.Text.Json.Nodes.JsonNode Json(string path) => System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;

    private static readonly string[] Small = { "--steps", "3", "--seq", "10", "--batch", "8", "--hidden", "16", "--embed", "8", "--eval-every", "0" };

    [Fact]
    public void GutenbergHeaderAndLicenceAreLeftOutOfTrainingAndEvaluationAndSaidOnStderr()
    {
        using var dir = new TempDir();
        string body = File.ReadAllText(TextCheckpointTests.TinyCorpus(dir)) + "\n";
        string book = dir.File("book.txt");
        File.WriteAllText(book, TextSplitTests.Book(body));
        File.WriteAllText(dir.File("body.txt"), body);
        long header = TextSplitTests.Header.Length + TextSplitTests.StartLine.Length, licence = TextSplitTests.Footer.Length + TextSplitTests.EndLine.Length + TextSplitTests.Licence.Length;

        var t = CliTests.Run(new[] { "text", "train", "--corpus", book, "--out", dir.File("run") }.Concat(Small).ToArray());
        Assert.True(t.Code == 0, t.Err);
        Assert.Contains($"book.txt: left out the Project Gutenberg header ({header:N0} characters) and licence ({licence:N0} characters); --keep-gutenberg keeps them\n", t.Err);
        var config = Json(dir.File("run/config.json"));
        Assert.Equal(header, (long)config["gutenberg_header_dropped"]!);
        Assert.Equal(licence, (long)config["gutenberg_licence_dropped"]!);
        Assert.False((bool)config["keep_gutenberg"]!);
        Assert.Equal("blocks", (string)config["validation_split"]!);
        Assert.Equal(10, (int)config["validation_blocks"]!);
        Assert.Equal(body.Length / 200, (int)config["validation_block_characters"]!);
        Assert.Equal(body.Length, (int)config["train_characters"]! + (int)config["validation_characters"]!);

        var kept = CliTests.Run(new[] { "text", "train", "--corpus", book, "--out", dir.File("kept"), "--keep-gutenberg" }.Concat(Small).ToArray());
        Assert.True(kept.Code == 0, kept.Err);
        Assert.DoesNotContain("Project Gutenberg", kept.Err);
        var keptConfig = Json(dir.File("kept/config.json"));
        Assert.True((bool)keptConfig["keep_gutenberg"]!);
        Assert.Equal(0, (long)keptConfig["gutenberg_header_dropped"]!);
        Assert.Equal(File.ReadAllText(book).Length, (int)keptConfig["train_characters"]! + (int)keptConfig["validation_characters"]!);

        // text eval scores the book as its body alone, and says so
        var onBook = CliTests.Run("text", "eval", "--checkpoint", dir.File("run"), "--corpus", book, "--json");
        var onBody = CliTests.Run("text", "eval", "--checkpoint", dir.File("run"), "--corpus", dir.File("body.txt"), "--json");
        Assert.True(onBook.Code == 0, onBook.Err);
        Assert.Equal(onBody.Out, onBook.Out);
        Assert.Contains("book.txt: left out the Project Gutenberg header", onBook.Err);
        Assert.Equal(0, (int)System.Text.Json.Nodes.JsonNode.Parse(onBook.Out)!["unknown_characters"]!);
        var whole = CliTests.Run("text", "eval", "--checkpoint", dir.File("run"), "--corpus", book, "--keep-gutenberg", "--json");
        Assert.True((int)System.Text.Json.Nodes.JsonNode.Parse(whole.Out)!["unknown_characters"]! > 0); // the licence's '@', capitals, …
    }

    [Fact]
    public void EncodingOptionReadsALatin1CorpusAndTheUtf8ErrorNamesIt()
    {
        using var dir = new TempDir();
        string text = File.ReadAllText(TextCheckpointTests.TinyCorpus(dir)).Replace("fair", "fairé");
        string latin = dir.File("latin.txt");
        File.WriteAllBytes(latin, System.Text.Encoding.Latin1.GetBytes(text));

        var bad = CliTests.Run(new[] { "text", "train", "--corpus", latin, "--out", dir.File("r0") }.Concat(Small).ToArray());
        CliTests.AssertOneErrorLine(bad.Code, bad.Err, "the file is not UTF-8: give its encoding with --encoding (utf-8, latin1, windows-1252, utf-16)");
        var unknown = CliTests.Run(new[] { "text", "train", "--corpus", latin, "--out", dir.File("r1"), "--encoding", "ebcdic" }.Concat(Small).ToArray());
        CliTests.AssertOneErrorLine(unknown.Code, unknown.Err, "--encoding: unknown encoding 'ebcdic'");

        var ok = CliTests.Run(new[] { "text", "train", "--corpus", latin, "--out", dir.File("run"), "--encoding", "latin1" }.Concat(Small).ToArray());
        Assert.True(ok.Code == 0, ok.Err);
        var config = Json(dir.File("run/config.json"));
        Assert.Equal("latin1", (string)config["encoding"]!);
        Assert.Contains("é", Json(dir.File("run/model.json"))["vocabulary_text"]!.GetValue<string>());

        File.WriteAllText(dir.File("utf8.txt"), text);
        var e1 = CliTests.Run("text", "eval", "--checkpoint", dir.File("run"), "--corpus", latin, "--encoding", "iso-8859-1", "--json");
        var e2 = CliTests.Run("text", "eval", "--checkpoint", dir.File("run"), "--corpus", dir.File("utf8.txt"), "--json");
        Assert.True(e1.Code == 0, e1.Err);
        Assert.Equal(e2.Out, e1.Out);
    }

    [Fact]
    public async Task AnInterruptBeforeAnyValidationSaysSoAndWritesNoNaN()
    {
        using var dir = new TempDir();
        string corpus = TextCheckpointTests.TinyCorpus(dir);
        string run = dir.File("run");
        using var p = CliTests.Start("text", "train", "--corpus", corpus, "--out", run, "--steps", "1000000",
                     "--seq", "10", "--batch", "8", "--hidden", "16", "--embed", "8", "--eval-every", "0", "--checkpoint-every", "0");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var metrics = Path.Combine(run, "metrics.csv");
        CliTests.WaitForLines(metrics, 3);
        CliTests.Interrupt(p);
        Assert.Equal(130, p.ExitCode);
        string output = await stdout, errors = await stderr;
        Assert.Contains("; no validation ran", output);
        var summary = Json(Path.Combine(run, "summary.json"));
        Assert.True((bool)summary["interrupted"]!);
        Assert.Null(summary["val_bpc"]);
        Assert.Null(summary["best_val_bpc"]);
        foreach (var text in new[] { output, errors, File.ReadAllText(metrics), File.ReadAllText(Path.Combine(run, "summary.json")) })
            Assert.DoesNotContain("NaN", text);
        Assert.False(Directory.Exists(Path.Combine(run, "best")));
    }

    [Fact]
    public void HelpListsTheOptionsThatMayChangeOnResume()
    {
        var (code, output, _) = CliTests.Run("text", "train", "--help");
        Assert.Equal(0, code);
        string flat = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " ");
        Assert.Contains("Only --steps, --minutes, --eval-every, --sample-every, --checkpoint-every, --corpus, --encoding, --threads may change (config.json records the changes)", flat);
        Assert.Contains("--encoding", flat);
        Assert.Contains("--keep-gutenberg", flat);
    }
}
