using SeqGraph.IO;
using SeqGraph.Training;

namespace SeqGraph.Web;

/// <summary>
/// Text checkpoints loaded through the library's loader (<see cref="TextCheckpoint.LoadModel"/>) and
/// kept, so that the playground's next prompt on the same checkpoint starts at once. An entry is
/// keyed by its folder and stamped with the size and write time of its two files: a checkpoint
/// written again (a run that went on training) is loaded afresh. At most <see cref="Capacity"/>
/// models are kept; the one used longest ago goes first. Safe for concurrent callers.
/// </summary>
public sealed class TextModelCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Stamp, TextModel Model, long Used)> _models = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>How many models are kept at most.</summary>
    public int Capacity { get; init; } = 4;

    /// <summary>How many times a checkpoint was read from disk (not served from the cache).</summary>
    public int Loads { get; private set; }

    /// <summary>
    /// The model of the checkpoint in <paramref name="folder"/>, from the cache when its files have not
    /// changed since it was loaded. Throws what the loader throws (<see cref="InvalidDataException"/>,
    /// <see cref="IOException"/>) for a checkpoint that cannot be read.
    /// </summary>
    public TextModel Load(string folder)
    {
        string stamp = Stamp(folder);
        lock (_gate)
        {
            if (_models.TryGetValue(folder, out var kept) && kept.Stamp == stamp)
            {
                _models[folder] = kept with { Used = ++_clock };
                return kept.Model;
            }
        }
        var model = TextCheckpoint.LoadModel(folder);
        lock (_gate)
        {
            Loads++;
            _models[folder] = (stamp, model, ++_clock);
            while (_models.Count > Math.Max(1, Capacity))
                _models.Remove(_models.MinBy(kv => kv.Value.Used).Key);
        }
        return model;
    }

    /// <summary>The size and write time of the checkpoint's two files, as one string.</summary>
    private static string Stamp(string folder)
    {
        var parts = new[] { Checkpoint.TensorsFileName, Checkpoint.SidecarFileName }.Select(name =>
        {
            var info = new FileInfo(Path.Combine(folder, name));
            return info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : "-";
        });
        return string.Join('|', parts);
    }
}
