using Microsoft.Extensions.Options;

namespace FaultAgent.Auth;

/// <summary>
/// The checks declared by attributes on <see cref="TokenReviewOptions"/> ([Required], [SettingRange], [RegularExpression]),
/// generated at compile time: the trim-safe form of <c>ValidateDataAnnotations</c>, with the same error texts.
/// </summary>
[OptionsValidator]
public sealed partial class TokenReviewOptionsAttributeValidator : IValidateOptions<TokenReviewOptions>;
