using Microsoft.Extensions.Options;

namespace FaultApi.Auth;

/// <summary>At start: <c>Auth:TokenFile</c> must exist and hold only valid token lines (<see cref="CallerTokenFileParser"/>).</summary>
public sealed class ApiAuthOptionsValidator : IValidateOptions<ApiAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.TokenFile))
        {
            return ValidateOptionsResult.Skip; // [Required] says so.
        }

        try
        {
            CallerTokenFileParser.Parse(File.ReadAllText(options.TokenFile));
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"Auth:TokenFile '{options.TokenFile}' cannot be read: {ex.Message}");
        }
        catch (TokenFileFormatException ex)
        {
            return ValidateOptionsResult.Fail($"Auth:TokenFile '{options.TokenFile}' is refused: {ex.Message}.");
        }
    }
}
