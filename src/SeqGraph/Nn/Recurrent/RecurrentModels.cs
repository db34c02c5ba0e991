namespace SeqGraph.Nn.Recurrent;

/// <summary>What each <see cref="RecurrentModel"/> is made of.</summary>
public static class RecurrentModels
{
    /// <summary>Every model, in the order the commands list them.</summary>
    public static IReadOnlyList<RecurrentModel> All { get; } = Enum.GetValues<RecurrentModel>();

    /// <summary>The cell the model runs.</summary>
    public static CellType Cell(this RecurrentModel model) => model switch
    {
        RecurrentModel.Rnn => CellType.Rnn,
        RecurrentModel.Lstm or RecurrentModel.Bilstm => CellType.Lstm,
        RecurrentModel.PeepholeLstm => CellType.PeepholeLstm,
        RecurrentModel.Gru => CellType.Gru,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown model"),
    };

    /// <summary>True for the bidirectional model.</summary>
    public static bool Bidirectional(this RecurrentModel model) => model == RecurrentModel.Bilstm;

    /// <summary>The command-line and file name of the model ("peephole-lstm").</summary>
    public static string Name(this RecurrentModel model) => model switch
    {
        RecurrentModel.PeepholeLstm => "peephole-lstm",
        _ => model.ToString().ToLowerInvariant(),
    };

    /// <summary>The model called <paramref name="name"/>, or null.</summary>
    public static RecurrentModel? FromName(string name) => All.Cast<RecurrentModel?>().FirstOrDefault(m => m!.Value.Name() == name);
}
