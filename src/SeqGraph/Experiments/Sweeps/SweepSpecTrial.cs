namespace SeqGraph.Experiments.Sweeps;

/// <summary>A trial as sweep.json lists it: its number, folder, values and its state when the file was written.</summary>
/// <param name="Number">1-based.</param>
/// <param name="Folder">Its folder inside the sweep folder.</param>
/// <param name="Values">Axis name → value.</param>
/// <param name="State">Its state when sweep.json was written (the folder itself is the truth: see <see cref="SweepFolder.Status"/>).</param>
public sealed record SweepSpecTrial(int Number, string Folder, IReadOnlyDictionary<string, string> Values, TrialState State);
