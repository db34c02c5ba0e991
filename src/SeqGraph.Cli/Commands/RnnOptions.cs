using System.CommandLine;
using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>The training options shared by <c>rnn train</c>, <c>rnn sweep</c> and <c>rnn gradients</c>.</summary>
internal sealed class RnnOptions
{
    public readonly Option<string> Task = new("--task") { Description = "palindrome | binary-palindrome | random-combinations | baum-sweet", DefaultValueFactory = _ => "palindrome" };
    public readonly Option<string> Impl = new("--impl") { Description = "fused (hand-derived BPTT) | reference (autograd)", DefaultValueFactory = _ => "fused" };
    public readonly Option<string> Input = new("--input") { Description = "onehot | embed:N", DefaultValueFactory = _ => "onehot" };
    public readonly Option<int> Hidden = new("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 128 };
    public readonly Option<int> Layers = new("--layers") { Description = "Stacked recurrent layers", DefaultValueFactory = _ => 1 };
    public readonly Option<int> Batch = new("--batch") { Description = "Batch size", DefaultValueFactory = _ => 128 };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "rmsprop | adam | sgd", DefaultValueFactory = _ => "rmsprop" };
    public readonly Option<float> Lr = new("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 1e-3f };
    public readonly Option<float> Momentum = new("--momentum") { Description = "Momentum (SGD, RMSprop)", DefaultValueFactory = _ => 0f };
    public readonly Option<float> Clip = new("--clip") { Description = "Global gradient-norm clip (0 = off)", DefaultValueFactory = _ => 10f };
    public readonly Option<string> Init = new("--init") { Description = "default | xavier | xavier-normal | kaiming | kaiming-uniform | normal (weight matrices)", DefaultValueFactory = _ => "default" };
    public readonly Option<string> ForgetBias = new("--forget-bias") { Description = "Forget-gate bias of LSTM cells: a number, or 'default' for PyTorch's uniform init", DefaultValueFactory = _ => "1" };
    public readonly Option<int> Steps = new("--steps") { Description = "Maximum training steps", DefaultValueFactory = _ => 10_000 };
    public readonly Option<double> Target = new("--target-accuracy") { Description = "Stop when the mean training accuracy over --window steps reaches this", DefaultValueFactory = _ => 1.0 };
    public readonly Option<int> Window = new("--window") { Description = "Steps averaged for the stopping rule", DefaultValueFactory = _ => 20 };
    public readonly Option<int> TestSamples = new("--test-samples") { Description = "Fresh samples for the test accuracy", DefaultValueFactory = _ => 5000 };
    public readonly Option<int> LogEvery = new("--log-every") { Description = "Log a metrics row every N steps", DefaultValueFactory = _ => 10 };
    public readonly Option<int> Threads = Common.Threads();
    public readonly Option<bool> Json = Common.Json();

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Task, Impl, Input, Hidden, Layers, Batch, Optimizer, Lr, Momentum, Clip, Init, ForgetBias, Steps, Target, Window, TestSamples, LogEvery, Threads, Json })
            c.Options.Add(o);
    }

    /// <summary>Reads and validates everything except model, length and seed.</summary>
    public SequenceTrainConfig Read(ParseResult r)
    {
        Common.ApplyThreads(r.GetValue(Threads));
        string task = r.GetValue(Task)!;
        if (!SequenceTasks.Names.Contains(task)) throw new UsageException($"--task: unknown task '{task}' (choose {string.Join(", ", SequenceTasks.Names)})");
        string opt = r.GetValue(Optimizer)!;
        if (opt is not ("rmsprop" or "adam" or "sgd")) throw new UsageException($"--optimizer: unknown optimizer '{opt}' (rmsprop, adam, sgd)");
        float clip = r.GetValue(Clip);
        if (!float.IsFinite(clip) || clip < 0) throw new UsageException($"--clip must be ≥ 0 (got {clip})");
        double target = r.GetValue(Target);
        if (!(target > 0 && target <= 1)) throw new UsageException($"--target-accuracy must be in (0, 1] (got {target})");
        int tests = r.GetValue(TestSamples);
        if (tests < 0) throw new UsageException($"--test-samples must be ≥ 0 (got {tests})");
        float momentum = r.GetValue(Momentum);
        if (!(momentum >= 0 && momentum < 1)) throw new UsageException($"--momentum must be in [0, 1) (got {momentum})");
        return new SequenceTrainConfig
        {
            Task = task,
            Impl = Parse.Impl(r.GetValue(Impl)!),
            EmbedDim = Parse.Input(r.GetValue(Input)!),
            Hidden = Parse.Positive("--hidden", r.GetValue(Hidden)),
            Layers = Parse.Positive("--layers", r.GetValue(Layers)),
            Batch = Parse.Positive("--batch", r.GetValue(Batch)),
            Optimizer = opt,
            LearningRate = Parse.Positive("--lr", r.GetValue(Lr)),
            Momentum = momentum,
            Clip = clip,
            Init = Parse.Init(r.GetValue(Init)!),
            ForgetBias = ParseForgetBias(r.GetValue(ForgetBias)!),
            Steps = Parse.Positive("--steps", r.GetValue(Steps)),
            TargetAccuracy = target,
            Window = Parse.Positive("--window", r.GetValue(Window)),
            TestSamples = tests,
            LogEvery = Parse.Positive("--log-every", r.GetValue(LogEvery)),
        };
    }

    private static float? ParseForgetBias(string text)
    {
        if (text == "default") return null;
        if (float.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)) return v;
        throw new UsageException($"--forget-bias: expected a number or 'default', got '{text}'");
    }

    /// <summary>Checks that the task accepts the length (one clear line if not).</summary>
    public static void CheckLength(string task, int length)
    {
        try { SequenceTasks.Create(task, length); }
        catch (ArgumentException e) { throw new UsageException($"--length: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}"); }
    }

    /// <summary>Every setting as JSON (config.json).</summary>
    public static JsonObject ToJson(SequenceTrainConfig c, string model) => new()
    {
        ["task"] = c.Task,
        ["length"] = c.Length,
        ["model"] = model,
        ["impl"] = c.Impl.ToString().ToLowerInvariant(),
        ["input"] = c.EmbedDim == 0 ? "onehot" : $"embed:{c.EmbedDim}",
        ["hidden"] = c.Hidden,
        ["layers"] = c.Layers,
        ["batch"] = c.Batch,
        ["optimizer"] = c.Optimizer,
        ["lr"] = c.LearningRate,
        ["momentum"] = c.Momentum,
        ["clip"] = c.Clip,
        ["init"] = c.Init.ToString(),
        ["forget_bias"] = c.ForgetBias is float fb ? fb : "default",
        ["steps"] = c.Steps,
        ["target_accuracy"] = c.TargetAccuracy,
        ["window"] = c.Window,
        ["seed"] = c.Seed,
        ["test_samples"] = c.TestSamples,
        ["log_every"] = c.LogEvery,
        ["threads"] = SeqGraph.Tensors.Parallelism.Threads,
    };
}
