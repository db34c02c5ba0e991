using SeqGraph.Experiments.Text;
using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>A checked <c>text train</c>: its config, the call that runs it (a new run or a resume), its folder and whether that is the resumed run's own.</summary>
internal sealed record TextPlan(TextTrainConfig Config, Func<TextTrainConfig, RunFolder?, IProgress<TextTrainProgress>?, CancellationToken, TextTrainResult> Run, string OutPath, bool Reuse);
