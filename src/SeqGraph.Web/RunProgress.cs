namespace SeqGraph.Web;

/// <summary>The latest progress of a run in the queue, as its experiment reported it.</summary>
/// <param name="Done">Units done (steps, epochs or sweep runs, as <paramref name="Unit"/> says).</param>
/// <param name="Total">Units planned, when known.</param>
/// <param name="Unit">"step", "epoch" or "run".</param>
/// <param name="Loss">The latest training loss, when reported.</param>
/// <param name="Accuracy">The latest training accuracy, when reported.</param>
/// <param name="Text">A short line for what is under way (e.g. the seed or model), or null.</param>
public sealed record RunProgress(long Done, long? Total, string Unit, double? Loss, double? Accuracy, string? Text = null);
