using System.Collections.Generic;
using System.IO;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Training;

/// <summary>The README's two plots, drawn with OxyPlot and written as SVG (pure managed: no native library).</summary>
public static class Plots
{
    // A font the exporter's text measurer knows (it measures with the PDF core fonts), so legends and titles fit.
    private const string Font = "Arial";

    public static void WriteLossCurve(string path, IReadOnlyList<double> losses)
    {
        var model = new PlotModel { Title = "Training loss (mean squared error, log scale)", DefaultFont = Font, TitleFontSize = 15 };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "epoch", Minimum = 1, Maximum = losses.Count });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "loss", MajorGridlineStyle = LineStyle.Dot });
        var curve = new LineSeries { Color = OxyColors.SteelBlue, StrokeThickness = 2 };
        for (int epoch = 0; epoch < losses.Count; epoch++) curve.Points.Add(new DataPoint(epoch + 1, losses[epoch]));
        model.Series.Add(curve);
        Write(model, path);
    }

    public static void WritePrediction(string path, int firstStep, IReadOnlyList<double> noisy, IReadOnlyList<double> clean, IReadOnlyList<double> predicted)
    {
        var model = new PlotModel { Title = "Next value on held-out steps: prediction against truth", DefaultFont = Font, TitleFontSize = 15 };
        model.Legends.Add(new Legend
        {
            LegendPlacement = LegendPlacement.Outside, LegendPosition = LegendPosition.TopCenter,
            LegendOrientation = LegendOrientation.Horizontal, LegendItemSpacing = 32, LegendPadding = 12,
        });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "t" });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "value", Minimum = -1.5, Maximum = 1.5 });
        model.Series.Add(Line("noisy truth", OxyColors.DarkGray, 1, noisy));
        model.Series.Add(Line("clean sine", OxyColors.Black, 1, clean, LineStyle.Dash));
        model.Series.Add(Line("prediction", OxyColors.OrangeRed, 2, predicted));
        Write(model, path);

        LineSeries Line(string title, OxyColor color, double thickness, IReadOnlyList<double> values, LineStyle style = LineStyle.Solid)
        {
            var line = new LineSeries { Title = title, Color = color, StrokeThickness = thickness, LineStyle = style };
            for (int i = 0; i < values.Count; i++) line.Points.Add(new DataPoint(firstStep + i, values[i]));
            return line;
        }
    }

    private static void Write(PlotModel model, string path)
    {
        using var stream = File.Create(path);
        new SvgExporter { Width = 720, Height = 360 }.Export(model, stream);
    }
}
