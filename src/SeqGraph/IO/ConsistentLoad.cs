namespace SeqGraph.IO;

/// <summary>
/// Reads a checkpoint folder while its writer may be saving into it (readers take no lock): a read
/// counts only if the pair's files — <c>model.json</c>, <c>model.safetensors</c> and their
/// <c>.new</c> — did not change while it ran (present or not, length, write time; every step of a
/// save creates, renames or replaces one of them, and a rename brings the new file's own write
/// time). A read that failed or succeeded while they changed is done again, a bounded number of
/// times; a read that failed while nothing changed is a real error and is thrown at once.
/// </summary>
internal static class ConsistentLoad
{
    // a saver checkpointing a tiny model every step leaves a still moment of a few ms between
    // saves; 40 reads with pauses growing to 25 ms span well over a second
    private const int Attempts = 40;

    /// <summary>The result of <paramref name="read"/> from a moment when the pair in <paramref name="dir"/> stood still.</summary>
    /// <exception cref="IOException">The pair kept changing through every attempt.</exception>
    public static T Read<T>(string dir, Func<T> read)
    {
        for (int attempt = 1; ; attempt++)
        {
            var before = State(dir);
            try
            {
                T value = read();
                if (State(dir).SequenceEqual(before)) return value;
            }
            catch (Exception e) when ((e is InvalidDataException or IOException) && attempt < Attempts && !State(dir).SequenceEqual(before)) { }
            if (attempt == Attempts)
                throw new IOException($"{dir}: the checkpoint changed during each of {Attempts} reads (a run saving it very often?); try again");
            Thread.Sleep(Math.Min(attempt, 25));
        }
    }

    private static readonly string[] Names =
    [
        Checkpoint.SidecarFileName, Checkpoint.TensorsFileName,
        Checkpoint.SidecarFileName + Checkpoint.NewSuffix, Checkpoint.TensorsFileName + Checkpoint.NewSuffix,
    ];

    private static (bool, long, long)[] State(string dir) => Names.Select(n =>
    {
        var info = new FileInfo(Path.Combine(dir, n));
        return info.Exists ? (true, info.Length, info.LastWriteTimeUtc.Ticks) : (false, 0L, 0L);
    }).ToArray();
}
