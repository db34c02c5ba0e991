using System.Globalization;
using SeqGraph.Reporting;
using SeqGraph.Training;
using SeqGraph.IO;

namespace SeqGraph.Cli.Commands;

/// <summary>
/// loss.svg and accuracy.svg of a text run, drawn from its metrics.csv (so a resumed run's charts
/// cover the whole run): the training curve and the validation points, the loss in bits per
/// character so both share a scale.
/// </summary>
internal static class TextCharts
{
    public static void Write(string dir)
    {
        var folder = RunFolder.Create(dir);
        string path = folder.PathOf(RunFolder.MetricsFileName);
        if (!File.Exists(path)) return;
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).Where(c => c.Length >= 7).ToList();
        static double P(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        (double[], double[]) Series(int col, double scale)
        {
            var pts = rows.Select(r => (X: P(r[0]), Y: P(r[col]) * scale)).Where(p => double.IsFinite(p.Y)).ToArray();
            return (pts.Select(p => p.X).ToArray(), pts.Select(p => p.Y).ToArray());
        }
        void Save(string file, string title, string yLabel, int trainCol, double trainScale, int valCol)
        {
            var chart = new SvgChart(title, "step", yLabel);
            var (tx, ty) = Series(trainCol, trainScale);
            if (tx.Length > 0) chart.AddSeries("train", tx, ty);
            var (vx, vy) = Series(valCol, 1);
            if (vx.Length > 0) chart.AddSeries("validation", vx, vy);
            if (chart.SeriesCount > 0) folder.SaveChart(file, chart);
        }
        Save("loss.svg", "Loss", "bits per character", 2, 1 / Math.Log(2), 5);
        Save("accuracy.svg", "Next-character accuracy", "accuracy", 3, 1, 6);
    }
}
