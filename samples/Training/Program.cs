// An Elman RNN learns to predict the next value of a noisy sine wave: SymGen's scan forward, its gradient backward,
// Adam in a few lines. Prints the loss per epoch and a few predictions, writes the two SVG plots the README shows
// (to docs/images, or to the folder given as the first argument), and exits 1 if the loss did not fall 10x.
using System;
using System.IO;
using System.Linq;
using SymGen;
using Training;

var settings = TrainingSettings.Default;
var task = new SineTask(settings);

// The gradient first: against central finite differences, so a wrong gradient fails here and not as a slow loss.
double gradientError = ElmanTraining.GradientCheck(task, settings);
Console.WriteLine($"Gradient check against finite differences: largest relative error {gradientError:E1}");
if (!(gradientError <= 1e-6))
{
    Console.Error.WriteLine("The gradient does not match finite differences.");
    return 1;
}

var (losses, trained) = ElmanTraining.Train(task, settings);
for (int epoch = 0; epoch < losses.Count; epoch++)
    Console.WriteLine($"epoch {epoch + 1,3}  loss {losses[epoch]:F6}");

// Predictions: the whole series through the trained network; the held-out steps come after the training windows.
var (_, y) = ElmanRnn.Elman(task.AllInputs, Vec<double>.Zeros(settings.Hidden), trained.Wx, trained.Wh, trained.b, trained.V, trained.c);
int first = task.TrainingLength;
var predicted = Enumerable.Range(first, task.TestLength).Select(t => y[t, 0]).ToArray();
var truth = task.Noisy[(first + 1)..(first + task.TestLength + 1)];
var clean = task.Clean[(first + 1)..(first + task.TestLength + 1)];
Console.WriteLine("Held-out steps:   t   prediction   truth (noisy)   clean");
for (int i = 0; i < 6; i++)
    Console.WriteLine($"               {first + 1 + i,5}   {predicted[i],10:F4}   {truth[i],13:F4}   {clean[i],6:F4}");
double testError = predicted.Zip(truth, (p, t) => (p - t) * (p - t)).Average();
Console.WriteLine($"Held-out mean squared error {testError:F6} (noise variance {settings.Noise * settings.Noise:F6})");

string folder = args.Length > 0 ? args[0] : ImagesFolder();
Directory.CreateDirectory(folder);
Plots.WriteLossCurve(Path.Combine(folder, "training-loss.svg"), losses);
Plots.WritePrediction(Path.Combine(folder, "training-prediction.svg"), first + 1, truth, clean, predicted);
Console.WriteLine($"Plots written to {Path.GetFullPath(folder)}");

double fall = losses[0] / losses[^1];
Console.WriteLine($"Loss fell {fall:F1}x ({losses[0]:F6} -> {losses[^1]:F6}).");
if (!(fall >= 10))
{
    Console.Error.WriteLine("The loss did not fall at least 10x.");
    return 1;
}
return 0;

// docs/images of the repository the command runs in (found from the current folder up), else ./images.
static string ImagesFolder()
{
    for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "SymGen.sln")))
            return Path.Combine(folder.FullName, "docs", "images");
    return "images";
}
