/// Print and the modes on graphs built in F#: Theano's tutorial from F# code.
module SymGen.FSharp.Tests.DebuggingTests

open System.IO
open Xunit
open SymGen
open SymGen.Graph

let private captured (run: unit -> 'T) =
    let writer = new StringWriter()
    let result =
        use _ = Printing.To writer
        run ()
    result, writer.ToString().Split(writer.NewLine, System.StringSplitOptions.RemoveEmptyEntries)

[<Fact>]
let ``Print on [1, 2, 3] beside x * 5 gives [5, 10, 15] and prints the labelled value`` () =
    let x = Tensor.Vector "x"
    let f = Tensor.Function([ x ], [ Tensor.Print(x, "this is a very important value") * 5.0 ])
    let result, lines = captured (fun () -> f.Invoke(box [| 1.0; 2.0; 3.0 |]))
    Assert.Equal<float[]>([| 5.0; 10.0; 15.0 |], (result.[0] :?> Vec<float>).ToArray())
    Assert.Equal<string[]>([| "this is a very important value = [1, 2, 3]" |], lines)

[<Fact>]
let ``Print in an F# scan's step prints at every step, under a monitor too`` () =
    let xs = Tensor.Vector "xs"
    let step (a: System.Collections.Generic.IReadOnlyList<Variable>) = ScanStep.Of(Tensor.Print(a.[0], "x") * 5.0)
    let trace = Tensor.Scan(step, sequences = [ ScanSequence(xs, [ 0 ]) ]).[0]
    let f = Tensor.Function([ xs ], [ trace ])
    let mutable hooks = 0
    let monitor = ScanMode.Monitor(after = NodeHook(fun e -> hooks <- hooks + 1))
    let fast () = f.Invoke(box [| 1.0; 2.0; 3.0 |])
    let monitored () = f.Invoke(monitor, box [| 1.0; 2.0; 3.0 |])
    for run in [ fast; monitored ] do
        let result, lines = captured run
        Assert.Equal<float[]>([| 5.0; 10.0; 15.0 |], (result.[0] :?> Vec<float>).ToArray())
        Assert.Equal<string[]>([| "x = 1"; "x = 2"; "x = 3" |], lines)
    Assert.True(hooks >= 6, sprintf "the monitor saw %d node(s)" hooks)
