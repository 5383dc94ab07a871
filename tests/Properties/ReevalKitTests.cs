using Lab.Pipeline.Reeval;
using Lab.Stages.Core;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Lab.Tests;

/// <summary>What every domain's re-evaluation reads from a model file: missing keys, another build's units, data that is
/// not the shipped one, the batch, and evaluation sets built once per key. Every problem names the model file.</summary>
public class ReevalKitTests
{
    static ReevalRequest Request(Dictionary<string, string> meta, string? data = null, int batch = 0) => new("/m/model.onnx", meta, data, batch);

    static string Problem<T>(Either<Problem, T> e) => e.Match(_ => "", p => p.ToString());

    [Fact]
    public void A_missing_key_is_named_with_the_model_file()
    {
        var r = Request(new() { ["seed"] = "1", ["tokenization"] = "v1" });
        Assert.True(r.Require("seed", "tokenization").IsRight);
        var p = Problem(r.Require("seed", "vocab", "eval_batch"));
        Assert.Contains("/m/model.onnx", p);
        Assert.Contains("'vocab'", p);
        Assert.DoesNotContain("eval_batch", p);
    }

    [Fact]
    public void Another_builds_units_are_refused_naming_both_versions()
    {
        var r = Request(new() { ["tokenization"] = "words-v0" });
        Assert.True(r.SameVersion("tokenization", "words-v0", "tokenisation").IsRight);
        var p = Problem(r.SameVersion("tokenization", "words-v1", "tokenisation"));
        Assert.Contains("/m/model.onnx: tokenisation words-v0 is not this build's words-v1", p);
    }

    [Fact]
    public void Data_is_the_given_path_else_the_shipped_data_the_model_names_else_a_problem()
    {
        var shipped = Request(new() { ["data_source"] = "corpus.txt.gz" });
        Assert.Equal(Path.Combine(Lab.Pipeline.Paths.RepoRoot(), "data/x/corpus.txt.gz"), shipped.DataOrShipped("data/x/corpus.txt.gz", "corpus").Match(d => d, _ => ""));
        var given = Request(new() { ["data_source"] = "mine.txt" }, data: "/d/mine.txt");
        Assert.Equal("/d/mine.txt", given.DataOrShipped("data/x/corpus.txt.gz", "corpus").Match(d => d, _ => ""));
        var other = Problem(Request(new() { ["data_source"] = "mine.txt" }).DataOrShipped("data/x/corpus.txt.gz", "corpus"));
        Assert.Contains("/m/model.onnx: the model was trained on 'mine.txt', not the shipped corpus", other);
        Assert.Contains("--data", other);
    }

    [Fact]
    public void The_batch_is_the_given_one_else_the_recorded_one_else_the_fallback()
    {
        Assert.Equal(7, Request(new() { ["eval_batch"] = "64" }, batch: 7).BatchOr(3));
        Assert.Equal(64, Request(new() { ["eval_batch"] = "64" }).BatchOr(3));
        Assert.Equal(3, Request(new()).BatchOr(3));
    }

    [Fact]
    public void An_evaluation_set_is_built_once_per_key_and_a_failure_names_the_model_and_is_not_cached()
    {
        var sets = new ReevalSets<string>();
        int builds = 0;
        Either<Problem, string> Build() { builds++; return Right<Problem, string>($"set {builds}"); }
        var r = Request(new());
        Assert.Equal("set 1", sets.Get(r, "a", Build).Match(s => s, _ => ""));
        Assert.Equal("set 1", sets.Get(r, "a", Build).Match(s => s, _ => ""));
        Assert.Equal("set 2", sets.Get(r, "b", Build).Match(s => s, _ => ""));
        var failed = sets.Get(r, "c", () => new Problem("/d/x.txt: unreadable"));
        Assert.Equal("/m/model.onnx: /d/x.txt: unreadable", Problem(failed));
        Assert.Equal("set 3", sets.Get(r, "c", Build).Match(s => s, _ => ""));
        Assert.Equal(3, builds);
    }
}
