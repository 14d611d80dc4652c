using System;
using System.Collections.Generic;
using SymGen;

namespace Training;

/// <summary>Sizes and hyper-parameters of the sample (the F# demo reads them too, to train the same network).</summary>
public sealed record TrainingSettings(int Hidden = 16, int Epochs = 60, double LearningRate = 0.01, int Windows = 20,
    int WindowLength = 40, int TestLength = 100, double Period = 25, double Noise = 0.05, int Seed = 12)
{
    public static TrainingSettings Default { get; } = new();
}

/// <summary>The network's weights; every tensor owns its array, so training updates them in place.</summary>
public sealed record ElmanParameters(Mat<double> Wx, Mat<double> Wh, Vec<double> b, Mat<double> V, Vec<double> c)
{
    /// <summary>Small uniform weights, scaled by 1/sqrt(fan-in); seeded from the settings.</summary>
    public static ElmanParameters Initial(TrainingSettings settings)
    {
        var random = new Random(settings.Seed + 1);
        int h = settings.Hidden;
        Mat<double> Uniform(int rows, int columns, double scale)
        {
            var values = new double[rows * columns];
            for (int i = 0; i < values.Length; i++) values[i] = (2 * random.NextDouble() - 1) * scale;
            return new Mat<double>(values, rows, columns);
        }
        return new(Uniform(h, 1, 1), Uniform(h, h, 1 / Math.Sqrt(h)), Vec<double>.Zeros(h), Uniform(1, h, 1 / Math.Sqrt(h)), Vec<double>.Zeros(1));
    }
}

/// <summary>Adam (Kingma and Ba, 2015) for one tensor: its two moment estimates, updated in place.</summary>
public sealed class AdamMoments(int length)
{
    private readonly double[] _mean = new double[length], _square = new double[length];

    public void Step(Span<double> value, ReadOnlySpan<double> gradient, int step, double learningRate,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        double meanCorrection = 1 - Math.Pow(beta1, step), squareCorrection = 1 - Math.Pow(beta2, step);
        for (int i = 0; i < value.Length; i++)
        {
            _mean[i] = beta1 * _mean[i] + (1 - beta1) * gradient[i];
            _square[i] = beta2 * _square[i] + (1 - beta2) * gradient[i] * gradient[i];
            value[i] -= learningRate * (_mean[i] / meanCorrection) / (Math.Sqrt(_square[i] / squareCorrection) + epsilon);
        }
    }
}

public static class ElmanTraining
{
    /// <summary>
    /// Trains with Adam, one step per window; returns each epoch's loss (the mean over its windows of the mean
    /// squared error, at the weights the window saw) and the trained weights.
    /// </summary>
    public static (List<double> Losses, ElmanParameters Trained) Train(SineTask task, TrainingSettings settings)
    {
        var p = ElmanParameters.Initial(settings);
        var h0 = Vec<double>.Zeros(settings.Hidden);
        var (mWx, mWh, mb, mV, mc) = (new AdamMoments(p.Wx.Span.Length), new AdamMoments(p.Wh.Span.Length),
            new AdamMoments(settings.Hidden), new AdamMoments(p.V.Span.Length), new AdamMoments(1));
        var losses = new List<double>();
        int step = 0;
        for (int epoch = 0; epoch < settings.Epochs; epoch++)
        {
            double total = 0;
            foreach (var (x, target) in task.TrainingWindows)
            {
                var (_, y) = ElmanRnn.Elman(x, h0, p.Wx, p.Wh, p.b, p.V, p.c);
                var (loss, dY) = MeanSquaredError(y, target);
                total += loss;
                ElmanRnn.ElmanGradient(x, h0, p.Wx, p.Wh, p.b, p.V, p.c, dH: default, dY,
                    out var dWx, out var dWh, out var db, out var dV, out var dc);
                step++;
                mWx.Step(p.Wx.Span, dWx.Span, step, settings.LearningRate);
                mWh.Step(p.Wh.Span, dWh.Span, step, settings.LearningRate);
                mb.Step(p.b.Span, db.Span, step, settings.LearningRate);
                mV.Step(p.V.Span, dV.Span, step, settings.LearningRate);
                mc.Step(p.c.Span, dc.Span, step, settings.LearningRate);
            }
            losses.Add(total / task.TrainingWindows.Count);
        }
        return (losses, p);
    }

    /// <summary>The mean squared error of <paramref name="y"/> against <paramref name="target"/>, and its gradient dLoss/dy.</summary>
    public static (double Loss, Mat<double> Gradient) MeanSquaredError(Mat<double> y, Mat<double> target)
    {
        Span<double> ys = y.Span, targets = target.Span;
        var gradient = new double[ys.Length];
        double sum = 0;
        for (int i = 0; i < ys.Length; i++)
        {
            double error = ys[i] - targets[i];
            sum += error * error;
            gradient[i] = 2 * error / ys.Length;
        }
        return (sum / ys.Length, new Mat<double>(gradient, y.Rows, y.Columns));
    }

    /// <summary>
    /// Checks <see cref="ElmanRnn.ElmanGradient"/> against central finite differences of the loss, on a short window
    /// and the initial weights; returns the largest difference relative to the largest gradient component.
    /// </summary>
    public static double GradientCheck(SineTask task, TrainingSettings settings, int length = 12)
    {
        var p = ElmanParameters.Initial(settings);
        var (x, target) = task.TrainingWindows[0];
        (x, target) = (x.Take(length), target.Take(length));
        var h0 = Vec<double>.Zeros(settings.Hidden);
        double Loss() => MeanSquaredError(ElmanRnn.Elman(x, h0, p.Wx, p.Wh, p.b, p.V, p.c).Y, target).Loss;
        var (_, dY) = MeanSquaredError(ElmanRnn.Elman(x, h0, p.Wx, p.Wh, p.b, p.V, p.c).Y, target);
        ElmanRnn.ElmanGradient(x, h0, p.Wx, p.Wh, p.b, p.V, p.c, default, dY, out var dWx, out var dWh, out var db, out var dV, out var dc);
        var gradients = new[] { dWx.Span.ToArray(), dWh.Span.ToArray(), db.Span.ToArray(), dV.Span.ToArray(), dc.Span.ToArray() };
        Span<double> Weights(int tensor) => tensor switch { 0 => p.Wx.Span, 1 => p.Wh.Span, 2 => p.b.Span, 3 => p.V.Span, _ => p.c.Span };
        const double Delta = 1e-5;
        double largestError = 0, largestGradient = 0;
        for (int tensor = 0; tensor < gradients.Length; tensor++)
            for (int i = 0; i < gradients[tensor].Length; i++)
            {
                var weights = Weights(tensor);
                double saved = weights[i];
                weights[i] = saved + Delta;
                double above = Loss();
                weights[i] = saved - Delta;
                double below = Loss();
                weights[i] = saved;
                largestError = Math.Max(largestError, Math.Abs((above - below) / (2 * Delta) - gradients[tensor][i]));
                largestGradient = Math.Max(largestGradient, Math.Abs(gradients[tensor][i]));
            }
        return largestError / largestGradient;
    }
}
