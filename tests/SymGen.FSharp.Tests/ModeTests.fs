/// Issue 13 from F#: a run-time graph monitored node by node, and the NaN guard, through Function.Invoke(ScanMode, ...).
module SymGen.FSharp.Tests.ModeTests

open System
open System.Text
open Xunit
open SymGen
open SymGen.Graph

[<Fact>]
let ``an F# cumulative-sum scan is monitored node by node, step by step`` () =
    let x, start = Tensor.Vector "x", Tensor.Scalar "start"
    let h = Tensor.Scan((fun a -> ScanStep.Of(a.[1] + a.[0])), sequences = [ ScanSequence(x, [ 0 ]) ],
                        outputs = [ ScanOutputInfo.Recurrent start ], name = "cumsum").[0]
    let f = Tensor.Function([ x; start ], [ h ])
    let printed = StringBuilder()
    let after = NodeHook(fun e -> printed.AppendFormat("{0} {1}: {2} + {3} = {4}; ", e.Step, e.Node, e.Input(0), e.Input(1), e.Output) |> ignore)
    let result = f.Invoke(ScanMode.Monitor(after = after), box [| 1.0; 2.0; 3.0 |], box 0.5)
    Assert.Equal<float[]>([| 1.5; 3.5; 6.5 |], (result.[0] :?> Vec<float>).ToArray())
    Assert.Equal("0 Add: 0.5 + 1 = 1.5; 1 Add: 1.5 + 2 = 3.5; 2 Add: 3.5 + 3 = 6.5; ", printed.ToString())

[<Fact>]
let ``the NaN guard names the F# graph's Log and its step`` () =
    let x, start = Tensor.Vector "x", Tensor.Scalar "start"
    let h = Tensor.Scan((fun a -> ScanStep.Of(a.[1] + Tensor.Log a.[0])), sequences = [ ScanSequence(x, [ 0 ]) ],
                        outputs = [ ScanOutputInfo.Recurrent start ], name = "logs", stepInputNames = [ "x"; "s" ]).[0]
    let f = Tensor.Function([ x; start ], [ h ])
    let thrown = Assert.Throws<ScanModeException>(fun () -> f.Invoke(ScanMode.NanGuard(), box [| 1.0; 2.0; -3.0 |], box 0.0) |> ignore)
    Assert.Equal("Log produced NaN at step 2 of scan 'logs' from x = -3.", thrown.Message)
