using System.Diagnostics;
using System.Globalization;
using SeqGraph.Experiments.Text;
using SeqGraph.Training;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// The training progress on stderr: step, budget share, loss and accuracy (means over the last 100
/// steps), characters per second and ETA; redrawn in place on a terminal, one line every 30 s
/// when stderr is redirected.
/// </summary>
internal sealed class TrainProgress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _tty = !Console.IsErrorRedirected;
    private double _lastDraw = double.NegativeInfinity;
    private double _loss = double.NaN, _acc = double.NaN;
    private bool _drawn;
    private string _val = "";

    public void Report(TextTrainProgress p)
    {
        if (p.Step is not { } step)
        {
            if (p.Note is { } note) TextOptions.PrintNote(note);
            return;
        }
        if (p.Eval is { } e) Eval(step.Step, e);
        Step(step, p.Fraction, p.CharsPerSecond, p.Steps);
    }

    private void Step(TextStepResult r, double fraction, double charsPerSecond, int? steps)
    {
        // exponential moving averages over ≈100 steps
        _loss = double.IsNaN(_loss) ? r.Loss : 0.99 * _loss + 0.01 * r.Loss;
        _acc = double.IsNaN(_acc) ? r.Accuracy : 0.99 * _acc + 0.01 * r.Accuracy;
        double now = _clock.Elapsed.TotalSeconds;
        if (now - _lastDraw < (_tty ? 0.25 : 30) && fraction < 1) return;
        _lastDraw = now;
        double eta = fraction > 0 ? now * (1 - fraction) / fraction : double.NaN;
        int width = 24, filled = (int)Math.Round(fraction * width);
        string bar = new string('#', filled) + new string('.', width - filled);
        string budget = steps is { } s ? $"{r.Step}/{s}" : r.Step.ToString(CultureInfo.InvariantCulture);
        string line = string.Format(CultureInfo.InvariantCulture, "[{0}] {1,5:P1} step {2} loss {3:F3} acc {4:F3} {5:N0} chars/s ETA {6}{7}",
            bar, fraction, budget, _loss, _acc, charsPerSecond, Eta(eta), _val);
        if (_tty) Console.Error.Write("\r" + line.PadRight(Math.Min(Console.BufferWidth > 0 ? Console.BufferWidth - 1 : 120, 160)));
        else Console.Error.WriteLine(line);
        _drawn = true;
    }

    private void Eval(int step, TextEvalResult e) =>
        _val = string.Format(CultureInfo.InvariantCulture, " | val {0:F3} bpc acc {1:F3} @{2}", e.BitsPerCharacter, e.Accuracy, step);

    public void Finish()
    {
        if (_tty && _drawn) Console.Error.WriteLine();
    }

    private static string Eta(double seconds)
    {
        if (!double.IsFinite(seconds)) return "?";
        var t = TimeSpan.FromSeconds(Math.Round(seconds));
        return t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
    }
}
