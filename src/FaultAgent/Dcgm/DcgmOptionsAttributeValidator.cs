using Microsoft.Extensions.Options;

namespace FaultAgent.Dcgm;

/// <summary>
/// The checks declared by attributes on <see cref="DcgmOptions"/> ([Required], [SettingRange], [RegularExpression]),
/// generated at compile time: the trim-safe form of <c>ValidateDataAnnotations</c>, with the same error texts.
/// </summary>
[OptionsValidator]
public sealed partial class DcgmOptionsAttributeValidator : IValidateOptions<DcgmOptions>;
