using Microsoft.Extensions.Options;

namespace FaultAgent.Telemetry;

/// <summary>
/// The checks declared by attributes on <see cref="TelemetryOptions"/> ([Required], [SettingRange], [RegularExpression]),
/// generated at compile time: the trim-safe form of <c>ValidateDataAnnotations</c>, with the same error texts.
/// </summary>
[OptionsValidator]
public sealed partial class TelemetryOptionsAttributeValidator : IValidateOptions<TelemetryOptions>;
