namespace SymGen.Generator.Model;

/// <summary>
/// A <c>[Destination]</c> parameter: where the trace of returned output <paramref name="Output"/> is written, one
/// row per step (<paramref name="Container"/>: Array, Span, Memory or Vec of scalars, Mat of vectors, Tensor3 of matrices).
/// </summary>
internal sealed record DestinationOutput(string Parameter, ContainerKind Container, TypeRef Row, int Output);
