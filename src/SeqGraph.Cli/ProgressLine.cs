using System.Diagnostics;

namespace SeqGraph.Cli;

/// <summary>
/// Progress on stderr: a bar redrawn in place on a terminal, or a plain line every few seconds when
/// stderr is redirected (logs, CI). stdout stays clean for --json.
/// </summary>
public sealed class ProgressLine : IDisposable
{
    private readonly string _label;
    private readonly long _total;
    private readonly bool _mayStopEarly;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _lastDraw = double.NegativeInfinity;
    private bool _drawn;

    /// <summary>
    /// Starts a progress display for <paramref name="total"/> units of work. With
    /// <paramref name="mayStopEarly"/> (training that ends when it converges) the total is a budget
    /// and the ETA is shown as an upper bound.
    /// </summary>
    public ProgressLine(string label, long total, bool mayStopEarly = false)
    {
        _label = label;
        _total = Math.Max(1, total);
        _mayStopEarly = mayStopEarly;
    }

    /// <summary>Reports <paramref name="done"/> units finished, with a short status text.</summary>
    public void Report(long done, string status = "")
    {
        double now = _clock.Elapsed.TotalSeconds;
        if (now - _lastDraw < (_interactive ? 0.2 : 10) && done < _total) return;
        _lastDraw = now;
        double frac = Math.Clamp((double)done / _total, 0, 1);
        // no ETA in the first second: the first steps include compiling the code and say nothing
        // about the pace
        string eta = done > 0 && done < _total && now >= 1
            ? $" ETA {(_mayStopEarly ? "≤ " : "")}{Format(now / done * (_total - done))}" : "";
        string text = $"{_label} {done}/{_total} ({frac:P0}) {Format(now)}{eta} {status}";
        if (_interactive)
        {
            int width = 24, fill = (int)Math.Round(frac * width);
            string bar = "[" + new string('#', fill) + new string('-', width - fill) + "] ";
            string line = bar + text;
            int max = Math.Max(20, SafeWidth() - 1);
            if (line.Length > max) line = line[..max];
            Console.Error.Write("\r" + line.PadRight(max));
            _drawn = true;
        }
        else Console.Error.WriteLine(text);
    }

    /// <summary>Prints <paramref name="message"/> as a line of its own above the bar (which is redrawn at the next report).</summary>
    public void Interrupt(string message)
    {
        if (_interactive && _drawn) Console.Error.Write("\r" + new string(' ', Math.Max(20, SafeWidth() - 1)) + "\r");
        Console.Error.WriteLine(message);
        _drawn = false;
        _lastDraw = double.NegativeInfinity;
    }

    /// <summary>Ends the line.</summary>
    public void Dispose()
    {
        if (_drawn) Console.Error.WriteLine();
    }

    private static string Format(double seconds) =>
        seconds < 60 ? $"{seconds:F0}s" : seconds < 3600 ? $"{(int)seconds / 60}m{(int)seconds % 60:D2}s" : $"{(int)seconds / 3600}h{(int)seconds % 3600 / 60:D2}m";

    private static int SafeWidth()
    {
        try { return Console.WindowWidth > 0 ? Console.WindowWidth : 100; }
        catch (IOException) { return 100; }
    }
}
