using System;
using System.Collections.Generic;
using SymGen;

namespace Training;

/// <summary>
/// The task: predict the next value of a noisy sine wave. The series is cut into training windows (each one scan,
/// starting from h0 = 0); the points after them are held out for the predictions. Seeded: the same numbers every run.
/// </summary>
public sealed class SineTask
{
    /// <summary>The clean wave and the noisy one the network sees, <c>TrainingLength + TestLength + 1</c> points.</summary>
    public double[] Clean { get; }
    public double[] Noisy { get; }
    public int TrainingLength { get; }
    public int TestLength { get; }

    /// <summary>Inputs (rows: x_t = noisy[t]) and targets (noisy[t + 1]) of each training window, in training order.</summary>
    public IReadOnlyList<(Mat<double> Inputs, Mat<double> Targets)> TrainingWindows { get; }

    public SineTask(TrainingSettings settings)
    {
        (TrainingLength, TestLength) = (settings.Windows * settings.WindowLength, settings.TestLength);
        int points = TrainingLength + TestLength + 1;
        var random = new Random(settings.Seed);
        (Clean, Noisy) = (new double[points], new double[points]);
        for (int t = 0; t < points; t++)
        {
            Clean[t] = Math.Sin(2 * Math.PI * t / settings.Period);
            // Box-Muller: a standard normal from two uniforms.
            double gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            Noisy[t] = Clean[t] + settings.Noise * gaussian;
        }
        var windows = new List<(Mat<double>, Mat<double>)>();
        for (int start = 0; start < TrainingLength; start += settings.WindowLength)
            windows.Add((Column(start, settings.WindowLength), Column(start + 1, settings.WindowLength)));
        TrainingWindows = windows;
    }

    /// <summary>The whole noisy series but its last point, as one column of inputs (for the predictions).</summary>
    public Mat<double> AllInputs => Column(0, TrainingLength + TestLength);

    private Mat<double> Column(int start, int length) => new(Noisy[start..(start + length)], length, 1);
}
