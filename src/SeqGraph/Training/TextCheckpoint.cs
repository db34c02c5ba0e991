using System.Text.Json.Nodes;
using SeqGraph.Data;
using SeqGraph.Nn.Recurrent;
using SeqGraph.Optim;
using SeqGraph.IO;

namespace SeqGraph.Training;

/// <summary>
/// Checkpoints of a character-level run, in a <see cref="Checkpoint"/> folder:
/// <c>model.safetensors</c> holds the parameters under PyTorch names (<c>embedding.weight</c>,
/// <c>lstm.weight_ih_l0</c>, …, <c>head.weight</c>, <c>head.bias</c>) and Adam's buffers under
/// <c>optim.exp_avg.*</c> / <c>optim.exp_avg_sq.*</c>; <c>model.json</c> holds the model sizes, the
/// vocabulary (as scalar values and as text), the settings, the step, the optimizer's and the
/// schedule's counters, both generators' states (data windows, dropout), the elapsed seconds and
/// the last per-step figures, and the best validation loss so far with its step (<c>"best"</c>, null
/// before any validation). Loading checks everything and throws <see cref="InvalidDataException"/>
/// with one clear message for a truncated or edited checkpoint.
/// </summary>
public static class TextCheckpoint
{
    /// <summary>The sidecar's <c>"kind"</c>.</summary>
    public const string Kind = "char-lstm";

    private const string OptimPrefix = "optim.";

    /// <summary>
    /// Writes the trainer's complete state into <paramref name="dir"/> (atomically, see <see cref="Checkpoint"/>).
    /// Weights or optimizer state holding a NaN or an infinity throw <see cref="TrainingDivergedException"/>
    /// and nothing is written: the folder keeps its last good checkpoint.
    /// </summary>
    public static void Save(TextTrainer trainer, string dir, double seconds)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        Write(dir, trainer.Model, trainer.Corpus.Vocabulary, trainer.Config, trainer.Step, seconds, trainer.Optimizer, trainer.Schedule,
            trainer.DataRng, trainer.Best, trainer.Recent, null, training: true);
    }

    /// <summary>
    /// Writes a checkpoint of <paramref name="model"/> as a run at step 0 would have it: fresh Adam and
    /// StepLR state from <paramref name="config"/>, the data generator of its seed, no best and no
    /// recent figures. For weights made elsewhere (an imported PyTorch state_dict): <c>text sample</c>
    /// reads it, and <c>text train --resume</c> fine-tunes from it. <paramref name="extra"/> keys are
    /// added to model.json (e.g. where the weights came from).
    /// </summary>
    public static void SaveFresh(CharLstm model, int[] vocabulary, TextTrainConfig config, string dir, JsonObject? extra = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(config);
        if (config.Model(vocabulary.Length) != model.Config) throw new ArgumentException("the settings' model sizes differ from the model's", nameof(config));
        var optimizer = new Adam(model.Parameters().ToList(), config.Lr);
        var schedule = new StepLr(optimizer, config.LrStep, config.LrDecay);
        Write(dir, model, vocabulary, config, 0, 0, optimizer, schedule, TextTrainer.NewDataRng(config.Seed), null, Array.Empty<(double, double)>(), extra);
    }

    private static void Write(string dir, CharLstm model, IReadOnlyList<int> vocabulary, TextTrainConfig config, int step, double seconds, Adam optimizer, StepLr schedule,
        SeqGraph.Random.Rng dataRng, (double Loss, int Step)? best, IReadOnlyList<(double Loss, double Accuracy)> recent, JsonObject? extra, bool training = false)
    {
        var names = model.NamedParameters().Select(p => p.Name).ToList();
        var tensors = Checkpoint.ModuleTensors(model);
        var opt = optimizer.ExportState(names);
        foreach (var (k, t) in opt.Tensors) tensors[OptimPrefix + k] = t;
        if (training) TrainingDivergedException.ThrowIfNonFinite(tensors, OptimPrefix);
        var c = model.Config;
        var sidecar = new JsonObject
        {
            ["kind"] = Kind,
            ["model"] = new JsonObject { ["vocabulary"] = c.Vocabulary, ["embed"] = c.Embed, ["hidden"] = c.Hidden, ["layers"] = c.Layers, ["dropout"] = c.Dropout },
            ["vocabulary"] = new JsonArray(vocabulary.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
            ["vocabulary_text"] = TextCorpus.Decode(vocabulary, Enumerable.Range(0, c.Vocabulary).ToArray()),
            ["train"] = RunJson.ToNode(config),
            ["step"] = step,
            ["seconds"] = seconds,
            ["optimizer"] = ToJson(opt.Scalars),
            ["scheduler"] = ToJson(schedule.ExportState()),
            ["rng"] = new JsonObject
            {
                ["data"] = Checkpoint.RngStateToJson(dataRng.GetState()),
                ["dropout"] = Checkpoint.RngStateToJson(model.DropoutRng.GetState()),
            },
            ["best"] = best is { } b ? new JsonObject { ["val_loss"] = b.Loss, ["step"] = b.Step } : null,
            ["recent"] = new JsonObject
            {
                ["loss"] = new JsonArray(recent.Select(r => (JsonNode?)JsonValue.Create(r.Loss)).ToArray()),
                ["accuracy"] = new JsonArray(recent.Select(r => (JsonNode?)JsonValue.Create(r.Accuracy)).ToArray()),
            },
        };
        if (extra is not null)
            foreach (var (k, v) in extra)
                if (!sidecar.ContainsKey(k)) sidecar[k] = v?.DeepClone();
        Checkpoint.Save(dir, tensors, sidecar);
    }

    /// <summary>Loads the model (weights, vocabulary, settings) of a checkpoint for sampling or evaluation.</summary>
    public static TextModel LoadModel(string dir) => LoadCore(dir).Model;

    /// <summary>
    /// Rebuilds a trainer from a checkpoint so that training continues exactly where it stopped.
    /// <paramref name="adjust"/> may change the budget and reporting settings (steps, minutes,
    /// eval/sample/checkpoint intervals); the model and optimisation settings must stay the same,
    /// except from a checkpoint at step 0 without optimizer state (an imported model, see
    /// <see cref="SaveFresh"/>): there every training setting may change (learning rate, batch,
    /// dropout, seed, …) but not the sizes, and the run starts afresh from its weights.
    /// The corpus must have the checkpoint's vocabulary.
    /// </summary>
    public static TextTrainer Resume(string dir, TextCorpus corpus, Func<TextTrainConfig, TextTrainConfig>? adjust = null)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var (loaded, data, json) = LoadCore(dir);
        string ctx = Path.Combine(dir, Checkpoint.SidecarFileName);
        var config = adjust is null ? loaded.Config : adjust(loaded.Config);
        // nothing trained yet (an imported model, or a run stopped before its first step): the
        // optimizer is fresh, so every training setting may change; only the weights' shapes may not
        bool fresh = loaded.Step == 0 && !data.Tensors.Keys.Any(k => k.StartsWith(OptimPrefix, StringComparison.Ordinal));
        var sizes = loaded.Config with { Embed = config.Embed, Hidden = config.Hidden, Layers = config.Layers };
        if (fresh && sizes == loaded.Config && config.Fixed() != loaded.Config.Fixed())
        {
            if (!corpus.Vocabulary.SequenceEqual(loaded.Vocabulary))
                throw new InvalidDataException($"{corpus.Path}: its characters differ from the vocabulary of the checkpoint in {dir} ({corpus.VocabularySize} vs {loaded.Vocabulary.Length} symbols); give a corpus with exactly the model's characters");
            var started = new TextTrainer(config, corpus);
            started.Model.LoadStateDict(loaded.Model.StateDict());
            return started;
        }
        if (config.Fixed() != loaded.Config.Fixed())
        {
            // name the first setting that differs, by its option (lr_decay → --lr-decay)
            var want = (System.Text.Json.Nodes.JsonObject)RunJson.ToNode(config.Fixed());
            var have = (System.Text.Json.Nodes.JsonObject)RunJson.ToNode(loaded.Config.Fixed());
            string key = want.Select(kv => kv.Key).FirstOrDefault(k => want[k]?.ToJsonString() != have[k]?.ToJsonString()) ?? "settings";
            string option = "--" + key.Replace('_', '-');
            throw new ConfigException(option, $"{option}: the checkpoint in {dir} was trained with {have[key]?.ToJsonString()}, not {want[key]?.ToJsonString()}; " +
                $"only {string.Join(", ", TextTrainConfig.ResumableOptions[..^1])} and {TextTrainConfig.ResumableOptions[^1]} can change when resuming" +
                (fresh ? " (from this step-0 checkpoint every training setting may change, but not --embed, --hidden or --layers)" : ""));
        }
        if (!corpus.Vocabulary.SequenceEqual(loaded.Vocabulary))
            throw new InvalidDataException($"{corpus.Path}: its characters differ from the vocabulary of the checkpoint in {dir} ({corpus.VocabularySize} vs {loaded.Vocabulary.Length} symbols); " +
                (loaded.Step == 0 ? $"the corpus must have exactly the model's characters ({VocabularyDifference(corpus.Vocabulary, loaded.Vocabulary)})" : "resume with the corpus it was trained on"));
        var trainer = new TextTrainer(config, corpus);
        trainer.Model.LoadStateDict(loaded.Model.StateDict());
        var names = trainer.Model.NamedParameters().Select(p => p.Name).ToList();
        var optTensors = data.Tensors.Where(kv => kv.Key.StartsWith(OptimPrefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[OptimPrefix.Length..], kv => kv.Value);
        try
        {
            trainer.Optimizer.LoadState(new OptimizerState(optTensors, Doubles(json["optimizer"], ctx, "optimizer")), names);
            trainer.Schedule.LoadState(Doubles(json["scheduler"], ctx, "scheduler"));
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException || (e is InvalidDataException && !e.Message.StartsWith(ctx, StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"{ctx}: the optimizer or schedule state does not fit the model ({DisplayText.OneLine(e.Message)})", e);
        }
        var rng = json["rng"] as JsonObject ?? throw new InvalidDataException($"{ctx}: \"rng\" is missing");
        trainer.DataRng.SetState(Checkpoint.RngStateFromJson(rng["data"], ctx + ": rng.data"));
        trainer.Model.DropoutRng.SetState(Checkpoint.RngStateFromJson(rng["dropout"], ctx + ": rng.dropout"));
        trainer.Step = loaded.Step;
        trainer.PriorSeconds = Checkpoint.Get<double>(json, "seconds", ctx);
        if (json["best"] is JsonObject best) // absent in checkpoints from before the best-by-validation checkpoint
            trainer.Best = (Checkpoint.Get<double>(best, "val_loss", ctx), Checkpoint.Get<int>(best, "step", ctx));
        var recent = json["recent"] as JsonObject ?? throw new InvalidDataException($"{ctx}: \"recent\" is missing");
        var losses = Numbers(recent["loss"], ctx, "recent.loss");
        var accs = Numbers(recent["accuracy"], ctx, "recent.accuracy");
        if (losses.Length != accs.Length) throw new InvalidDataException($"{ctx}: recent.loss and recent.accuracy differ in length");
        for (int i = 0; i < losses.Length; i++) trainer.Remember(losses[i], accs[i]);
        return trainer;
    }

    private static (TextModel Model, CheckpointData Data, JsonObject Json) LoadCore(string dir)
    {
        dir = TextCheckpointFolder.Resolve(dir);
        (CharLstmConfig Model, int[] Vocabulary, TextTrainConfig Train, int Step) settings = default!;
        string tensorsPath = Path.Combine(dir, Checkpoint.TensorsFileName);
        // the sizes are checked against the tensor file's header before the model (or any tensor) is allocated
        var data = Checkpoint.Load(dir, header => { settings = ReadSettings(dir, header); tensorsPath = header.TensorsPath; });
        var (cfg, vocab, config, step) = settings;
        var model = new CharLstm(cfg!, 0);
        try { Checkpoint.LoadModule(model, data.Tensors); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{tensorsPath}: {DisplayText.OneLine(e.Message)}", e); }
        foreach (var (name, p) in model.NamedParameters())
            if (!TensorPrimitives.IsFiniteAll<float>(p.Data)) throw new InvalidDataException($"{tensorsPath}: parameter '{name}' holds non-finite values");
        return (new TextModel(model, vocab!, step, config!), data, data.Sidecar);
    }

    /// <summary>The model sizes, vocabulary, settings and step of a checked pair, its sizes bounded and matched to the header.</summary>
    private static (CharLstmConfig, int[], TextTrainConfig, int) ReadSettings(string dir, CheckpointHeader header)
    {
        var json = header.Sidecar;
        string ctx = header.SidecarPath;
        if (json["kind"] is not JsonValue k || !k.TryGetValue<string>(out var kind) || kind != Kind)
            throw TextCheckpointFolder.NotText(dir, json["kind"] is JsonValue kv && kv.TryGetValue<string>(out var other) ? other : null);
        var m = json["model"] as JsonObject ?? throw new InvalidDataException($"{ctx}: \"model\" is missing");
        var cfg = new CharLstmConfig(header.RequireSize("model.vocabulary", Checkpoint.Get<int>(m, "vocabulary", ctx), Utf8Scanner.ScalarLimit),
            header.RequireSize("model.embed", Checkpoint.Get<int>(m, "embed", ctx)), header.RequireSize("model.hidden", Checkpoint.Get<int>(m, "hidden", ctx)),
            header.RequireSize("model.layers", Checkpoint.Get<int>(m, "layers", ctx), 64), Checkpoint.Get<float>(m, "dropout", ctx));
        if (!(cfg.Dropout >= 0 && cfg.Dropout < 1))
            throw new InvalidDataException($"{ctx}: invalid model sizes (model.dropout {cfg.Dropout} is not in [0, 1))");
        header.RequireParameters(SequenceClassifier.ClosedFormParameters(CellType.Lstm, cfg.Vocabulary, cfg.Vocabulary, cfg.Hidden, cfg.Embed, cfg.Layers),
            $"a char-LSTM of {cfg.Vocabulary:N0} symbols, embed {cfg.Embed:N0}, hidden {cfg.Hidden:N0}, {cfg.Layers} layer{(cfg.Layers == 1 ? "" : "s")}",
            CheckpointHeader.MaxParameters, OptimPrefix);
        var vocab = Ints(json["vocabulary"], ctx, "vocabulary");
        if (vocab.Length != cfg.Vocabulary) throw new InvalidDataException($"{ctx}: the vocabulary lists {vocab.Length} characters but the model has {cfg.Vocabulary}");
        for (int i = 0; i < vocab.Length; i++)
            if (vocab[i] < 0 || vocab[i] >= Utf8Scanner.ScalarLimit || (vocab[i] >= 0xD800 && vocab[i] < 0xE000) || (i > 0 && vocab[i] <= vocab[i - 1]))
                throw new InvalidDataException($"{ctx}: vocabulary entry {i} ({vocab[i]}) is not a Unicode scalar value in increasing order");
        var config = TextTrainConfig.FromJson(json["train"], ctx);
        if (config.Model(cfg.Vocabulary) != cfg) throw new InvalidDataException($"{ctx}: \"model\" and \"train\" disagree on the model sizes");
        int step = Checkpoint.Get<int>(json, "step", ctx);
        if (step < 0) throw new InvalidDataException($"{ctx}: negative step");
        return (cfg, vocab, config, step);
    }

    private static int[] Ints(JsonNode? node, string ctx, string what)
    {
        if (node is not JsonArray a) throw new InvalidDataException($"{ctx}: \"{what}\" is missing or not an array");
        return a.Select((n, i) => n is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue<int>(out var x) ? x
            : throw new InvalidDataException($"{ctx}: {what}[{i}] is not a whole number")).ToArray();
    }

    /// <summary>"not in the model: 'é', 'ß'; not in the corpus: 'q'" — at most 10 of each, as JSON strings.</summary>
    private static string VocabularyDifference(IReadOnlyList<int> corpus, IReadOnlyList<int> model)
    {
        static string List(IEnumerable<int> cps) => string.Join(", ", cps.Take(10).Select(cp => System.Text.Json.JsonSerializer.Serialize(char.ConvertFromUtf32(cp))));
        var extra = corpus.Except(model).ToList();
        var missing = model.Except(corpus).ToList();
        var parts = new List<string>();
        if (extra.Count > 0) parts.Add($"{extra.Count} not in the model: {List(extra)}{(extra.Count > 10 ? ", …" : "")}");
        if (missing.Count > 0) parts.Add($"{missing.Count} of the model's not in the corpus: {List(missing)}{(missing.Count > 10 ? ", …" : "")}");
        return string.Join("; ", parts);
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, double> d)
    {
        var o = new JsonObject();
        foreach (var (k, v) in d) o[k] = v;
        return o;
    }

    private static Dictionary<string, double> Doubles(JsonNode? node, string ctx, string what)
    {
        if (node is not JsonObject o) throw new InvalidDataException($"{ctx}: \"{what}\" is missing");
        return o.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<double>(out var x) ? x
            : throw new InvalidDataException($"{ctx}: {what}.{kv.Key} is not a number"));
    }

    private static double[] Numbers(JsonNode? node, string ctx, string what)
    {
        if (node is not JsonArray a) throw new InvalidDataException($"{ctx}: \"{what}\" is missing or not an array");
        return a.Select((n, i) => n is JsonValue v && v.TryGetValue<double>(out var x) ? x
            : throw new InvalidDataException($"{ctx}: {what}[{i}] is not a number")).ToArray();
    }

}
