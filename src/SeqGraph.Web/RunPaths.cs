using System.Text.RegularExpressions;

namespace SeqGraph.Web;

/// <summary>
/// Turns run ids and file names from a request into paths inside the runs folder, or refuses
/// them. An id is '/'-separated folder names; every name must be plain (letters, digits and
/// <c>._+=@,-</c>, not starting with a dot), so <c>..</c>, absolute paths, backslashes, encoded
/// separators and hidden files never reach the file system. Every step of the path is checked
/// not to be a symbolic link, so a link inside the runs folder cannot lead out of it.
/// </summary>
public static partial class RunPaths
{
    /// <summary>Longest run id accepted, in characters.</summary>
    public const int MaxIdLength = 512;

    /// <summary>Folder levels a run id may have (a run folder inside a folder of runs, and one more).</summary>
    public const int MaxDepth = 3;

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._+=@,-]{0,127}$")]
    private static partial Regex NameRegex();

    /// <summary>Whether <paramref name="name"/> is one plain folder or file name.</summary>
    public static bool IsPlainName(string name) => NameRegex().IsMatch(name) && name != "." && name != "..";

    /// <summary>The segments of a run id, or null when the id is not a valid one.</summary>
    public static string[]? SplitId(string id)
    {
        if (id.Length == 0 || id.Length > MaxIdLength) return null;
        string[] parts = id.Split('/');
        if (parts.Length > MaxDepth || !parts.All(IsPlainName)) return null;
        return parts;
    }

    /// <summary>
    /// The full path of run folder <paramref name="id"/> under <paramref name="root"/> (a full
    /// path), or null when the id is invalid, leads through a symbolic link or is not a folder.
    /// </summary>
    public static string? RunFolder(string root, string id)
    {
        string[]? parts = SplitId(id);
        if (parts is null) return null;
        string path = Path.Combine([root, .. parts]);
        return Directory.Exists(path) && NotAFolderBelow(root, path) is null ? path : null;
    }

    /// <summary>
    /// The first step of <paramref name="path"/> below <paramref name="root"/> (both as given, made
    /// full) that exists but is not a real folder: a symbolic link (even to a folder) or a file.
    /// Returns null when every existing step is a folder and the path is inside the root; the
    /// full path itself when it is not inside the root. Steps that do not exist yet end the check
    /// (they will be made as folders). The runs folder itself may be a link.
    /// </summary>
    public static string? NotAFolderBelow(string root, string path)
    {
        string top = Path.GetFullPath(root);
        string full = Path.GetFullPath(path);
        if (!Inside(top, full)) return full;
        string step = top;
        foreach (string part in Path.GetRelativePath(top, full).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            step = Path.Combine(step, part);
            var info = new DirectoryInfo(step);
            if (info.LinkTarget is not null || File.Exists(step)) return step;
            if (!info.Exists) return null;
        }
        return null;
    }

    /// <summary>
    /// The full path of file <paramref name="name"/> directly in run folder <paramref name="folder"/>,
    /// or null when the name is not plain, the file is missing, or it is a symbolic link.
    /// </summary>
    public static string? RunFile(string root, string folder, string name)
    {
        if (!IsPlainName(name)) return null;
        string path = Path.Combine(folder, name);
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null) return null;
        return Inside(root, path) ? path : null;
    }

    private static bool Inside(string root, string path)
    {
        string full = Path.GetFullPath(path);
        string top = Path.GetFullPath(root);
        return full.StartsWith(top.EndsWith(Path.DirectorySeparatorChar) ? top : top + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
