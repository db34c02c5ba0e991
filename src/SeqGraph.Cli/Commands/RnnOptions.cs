using System.CommandLine;
using System.Globalization;
using SeqGraph.Experiments.Rnn;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// The training options shared by <c>rnn train</c>, <c>rnn sweep</c> and <c>rnn gradients</c>, mapped
/// onto an <see cref="RnnTrainConfig"/>. A command gets only the options it uses: <c>rnn gradients</c>
/// trains a fixed number of steps with the fused layers, so it has no stopping rule, test samples,
/// metrics cadence or --impl (an option it would ignore is an unknown option, not a silent no-op).
/// </summary>
/// <param name="stopping">Add --steps, --target-accuracy, --window, --test-samples and --log-every.</param>
/// <param name="impl">Add --impl.</param>
internal sealed class RnnOptions(bool stopping = true, bool impl = true)
{
    private static readonly RnnTrainConfig D = new();

    public readonly Option<string> Task = new("--task") { Description = "palindrome | binary-palindrome | random-combinations | baum-sweet", DefaultValueFactory = _ => D.Task };
    public readonly Option<string> Impl = new("--impl") { Description = "fused (hand-derived BPTT) | reference (autograd)", DefaultValueFactory = _ => "fused" };
    public readonly Option<string> Input = new("--input") { Description = "onehot | embed:N", DefaultValueFactory = _ => "onehot" };
    public readonly Option<int> Hidden = new("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => D.Hidden };
    public readonly Option<int> Layers = new("--layers") { Description = "Stacked recurrent layers", DefaultValueFactory = _ => D.Layers };
    public readonly Option<int> Batch = new("--batch") { Description = "Batch size", DefaultValueFactory = _ => D.Batch };
    public readonly Option<string> Optimizer = new("--optimizer") { Description = "rmsprop | adam | sgd", DefaultValueFactory = _ => "rmsprop" };
    public readonly Option<float> Lr = new("--lr") { Description = "Learning rate", DefaultValueFactory = _ => D.Lr };
    public readonly Option<float> Momentum = new("--momentum") { Description = "Momentum (SGD, RMSprop)", DefaultValueFactory = _ => D.Momentum };
    public readonly Option<float> Clip = new("--clip") { Description = "Global gradient-norm clip (0 = off)", DefaultValueFactory = _ => D.Clip };
    public readonly Option<string> Init = new("--init") { Description = "default | xavier | xavier-normal | kaiming | kaiming-uniform | normal (weight matrices)", DefaultValueFactory = _ => "default" };
    public readonly Option<string> ForgetBias = new("--forget-bias") { Description = "Forget-gate bias of LSTM cells: a number, or 'default' for PyTorch's uniform init", DefaultValueFactory = _ => "1" };
    public readonly Option<int> Steps = new("--steps") { Description = "Maximum training steps", DefaultValueFactory = _ => D.Steps };
    public readonly Option<double> Target = new("--target-accuracy") { Description = "Stop when the mean training accuracy over --window steps reaches this", DefaultValueFactory = _ => D.TargetAccuracy };
    public readonly Option<int> Window = new("--window") { Description = "Steps averaged for the stopping rule", DefaultValueFactory = _ => D.Window };
    public readonly Option<int> TestSamples = new("--test-samples") { Description = "Fresh samples for the test accuracy", DefaultValueFactory = _ => D.TestSamples };
    public readonly Option<int> LogEvery = new("--log-every") { Description = "Log a metrics row every N steps", DefaultValueFactory = _ => D.LogEvery };
    public readonly Option<int?> Threads = Common.Threads();
    public readonly Option<string?> MaxMemory = Common.MaxMemory();
    public readonly Option<bool> Json = Common.Json();

    public void AddTo(Command c)
    {
        foreach (var o in new Option[] { Task, Impl, Input, Hidden, Layers, Batch, Optimizer, Lr, Momentum, Clip, Init, ForgetBias, Steps, Target, Window, TestSamples, LogEvery, Threads, MaxMemory, Json })
            if ((stopping || !IsStopping(o)) && (impl || o != Impl)) c.Options.Add(o);
    }

    private bool IsStopping(Option o) => o == Steps || o == Target || o == Window || o == TestSamples || o == LogEvery;

    /// <summary>The options as a config (model, length and seed at their defaults; the caller sets them). Validation is the config's.</summary>
    public RnnTrainConfig Read(ParseResult r) => new()
    {
        Task = r.GetValue(Task)!,
        Impl = impl ? Parse.Impl(r.GetValue(Impl)!) : D.Impl,
        Embed = Parse.Input(r.GetValue(Input)!),
        Hidden = r.GetValue(Hidden),
        Layers = r.GetValue(Layers),
        Batch = r.GetValue(Batch),
        Optimizer = ParseOptimizer(r.GetValue(Optimizer)!),
        Lr = r.GetValue(Lr),
        Momentum = r.GetValue(Momentum),
        Clip = r.GetValue(Clip),
        Init = Parse.Init(r.GetValue(Init)!),
        ForgetBias = ParseForgetBias(r.GetValue(ForgetBias)!),
        Steps = stopping ? r.GetValue(Steps) : D.Steps,
        TargetAccuracy = stopping ? r.GetValue(Target) : D.TargetAccuracy,
        Window = stopping ? r.GetValue(Window) : D.Window,
        TestSamples = stopping ? r.GetValue(TestSamples) : D.TestSamples,
        LogEvery = stopping ? r.GetValue(LogEvery) : D.LogEvery,
        Threads = Common.CheckThreads(r.GetValue(Threads)),
        MaxMemory = Common.ReadMaxMemory(r, MaxMemory),
    };

    /// <summary>
    /// Refuses --forget-bias given for models that have no forget gate (rnn, gru): it would be
    /// ignored and still recorded. <paramref name="models"/> are the models the command trains.
    /// </summary>
    public void CheckForgetBias(ParseResult r, IEnumerable<RecurrentModel> models)
    {
        var list = models.ToList();
        if (r.GetResult(ForgetBias) is { Implicit: false } && !list.Any(m => Recurrent.HasCell(m.Cell())))
            throw new UsageException($"--forget-bias: {string.Join(" and ", list.Select(m => m.Name()))} {(list.Count == 1 ? "has" : "have")} no forget gate (it applies to lstm, peephole-lstm and bilstm)");
    }

    private static OptimizerKind ParseOptimizer(string text) => text switch
    {
        "rmsprop" => OptimizerKind.Rmsprop,
        "adam" => OptimizerKind.Adam,
        "sgd" => OptimizerKind.Sgd,
        _ => throw new UsageException($"--optimizer: unknown optimizer '{text}' (rmsprop, adam, sgd)"),
    };

    private static float? ParseForgetBias(string text)
    {
        if (text == "default") return null;
        if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v)) return v;
        throw new UsageException($"--forget-bias: expected a number or 'default', got '{text}'");
    }
}
