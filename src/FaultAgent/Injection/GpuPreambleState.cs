namespace FaultAgent.Injection;

/// <summary>The GPUs whose driver preamble was written in one boot (<c>Agent:StateDirectory/gpu-preamble.json</c>).</summary>
public sealed record GpuPreambleState(string BootId, IReadOnlyList<string> Printed);
