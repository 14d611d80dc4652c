/// The training sample's network (samples/Training) trained from F#: the same Elman RNN built as a graph with the
/// runtime API and run by the interpreter, on the same data, initial weights and hyper-parameters, with the same Adam.
/// Its loss curve must equal the C# sample's (the generated scan and gradient) epoch by epoch.
module SymGen.FSharpDemo.TrainingDemo

open System
open System.Collections.Generic
open SymGen
open SymGen.Graph
open Training

/// One window's loss as a graph: the Elman scan (H recurrent from h0, Y a map output), then the mean squared error.
let xs, targets, h0 = Tensor.Matrix "X", Tensor.Matrix "targets", Tensor.Vector "h0"
let wx, wh, b, v, c = Tensor.Matrix "Wx", Tensor.Matrix "Wh", Tensor.Vector "b", Tensor.Matrix "V", Tensor.Vector "c"
let predictions =
    let elman (a: IReadOnlyList<Variable>) =
        let x, h, wx, wh, b, v, c = a.[0], a.[1], a.[2], a.[3], a.[4], a.[5], a.[6]
        let next = Tensor.Tanh(Tensor.Dot(wx, x) + Tensor.Dot(wh, h) + b)
        ScanStep.Of(next, Tensor.Dot(v, next) + c)
    let traces =
        Tensor.Scan(elman, sequences = [ ScanSequence(xs, [ 0 ]) ],
                    outputs = [ ScanOutputInfo.Recurrent h0; ScanOutputInfo.Map ],
                    nonSequences = [ wx :> Variable; wh; b; v; c ], name = "elman")
    traces.[1]
let loss =
    let errors = predictions - targets
    Tensor.Mean(errors * errors)
let inputs : InputVariable list = [ xs; targets; h0; wx; wh; b; v; c ]

/// The loss and its gradients for one window, by the interpreter: Tensor.Grad differentiates the graph (through the
/// scan: a backward scan), and the function computes forward and backward in one call.
let gradientFunction = Tensor.Function(inputs, loss :: List.ofArray (Tensor.Grad(loss, wx, wh, b, v, c)))

let lossAndGradients (p: ElmanParameters) (x: Mat<float>) (target: Mat<float>) =
    let zeros = Vec<float>.Zeros p.Wh.Rows
    match gradientFunction.Invoke(box x, box target, box zeros, box p.Wx, box p.Wh, box p.b, box p.V, box p.c) with
    | [| :? float as windowLoss; :? Mat<float> as dWx; :? Mat<float> as dWh; :? Vec<float> as db; :? Mat<float> as dV; :? Vec<float> as dc |] ->
        windowLoss, (dWx, dWh, db, dV, dc)
    | other -> failwithf "unexpected result %A" other

/// The C# sample's training loop, step for step: one Adam step per window; each epoch's mean window loss.
let train (task: SineTask) (settings: TrainingSettings) : float list =
    let p = ElmanParameters.Initial settings
    let moments = [| for tensor in [ p.Wx.Span.Length; p.Wh.Span.Length; p.b.Length; p.V.Span.Length; p.c.Length ] -> AdamMoments tensor |]
    let mutable step = 0
    [ for _ in 1 .. settings.Epochs ->
        let mutable total = 0.0
        for struct (x, target) in task.TrainingWindows do
            let windowLoss, (dWx: Mat<float>, dWh: Mat<float>, db: Vec<float>, dV: Mat<float>, dc: Vec<float>) = lossAndGradients p x target
            total <- total + windowLoss
            step <- step + 1
            moments.[0].Step(p.Wx.Span, Span.op_Implicit dWx.Span, step, settings.LearningRate)
            moments.[1].Step(p.Wh.Span, Span.op_Implicit dWh.Span, step, settings.LearningRate)
            moments.[2].Step(p.b.Span, Span.op_Implicit db.Span, step, settings.LearningRate)
            moments.[3].Step(p.V.Span, Span.op_Implicit dV.Span, step, settings.LearningRate)
            moments.[4].Step(p.c.Span, Span.op_Implicit dc.Span, step, settings.LearningRate)
        total / float task.TrainingWindows.Count ]

/// Trains both ways and returns the largest relative difference between the two loss curves.
let compareWithCSharp () =
    let settings = TrainingSettings.Default
    let task = SineTask settings
    let struct (csharp, _) = ElmanTraining.Train(task, settings)
    let fsharp = train task settings
    let relative = Seq.map2 (fun (a: float) b -> abs (a - b) / abs a) csharp fsharp |> Seq.max
    printfn "Training the sample's RNN from F# (%d epochs): loss %.6f -> %.6f; C# %.6f -> %.6f" settings.Epochs
        (List.head fsharp) (List.last fsharp) csharp.[0] csharp.[csharp.Count - 1]
    relative
