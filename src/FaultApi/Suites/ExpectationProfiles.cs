using System.Globalization;
using System.Text.Json;
using FaultApi.Drills;
using FaultApi.Storage;
using FaultApi.Validation;

namespace FaultApi.Suites;

/// <summary>
/// The shipped expectation profiles (<c>profiles/*.json</c>, embedded in the API) and the check of any profile: every
/// bucket's expectations parse as drill expectations, every Xid is 1 to 999 and names a bucket the profile defines.
/// <see cref="DrillsOf"/> turns a <c>from_profile</c> block into suite drills.
/// </summary>
public static class ExpectationProfiles
{
    private const string ResourcePrefix = "profiles/";

    private static readonly Lazy<IReadOnlyDictionary<string, ExpectationProfile>> Shipped = new(Load);

    /// <summary>The shipped profiles by name.</summary>
    public static IReadOnlyDictionary<string, ExpectationProfile> All => Shipped.Value;

    /// <summary>Reads a profile from JSON (the file format).</summary>
    public static ExpectationProfile Parse(string json) =>
        JsonSerializer.Deserialize<ExpectationProfile>(json, RecordJson.Options) ?? throw new JsonException("a profile is a JSON object");

    /// <summary>Adds an error per bad field of <paramref name="profile"/> under <paramref name="prefix"/>.</summary>
    public static void Check(RequestErrors errors, string prefix, ExpectationProfile profile)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Buckets is not { Count: > 0 })
        {
            errors.Add($"{prefix}.buckets", "give at least one bucket: its name and the expectations of its drills");
        }
        else
        {
            foreach (var (name, bucket) in profile.Buckets)
            {
                if (bucket?.Expect is not { } expect)
                {
                    errors.Add($"{prefix}.buckets.{name}", "give expect: a list of expectations (empty: the bucket's Xids are not drilled)");
                    continue;
                }

                for (var i = 0; i < expect.Count; i++)
                {
                    if (!DrillExpectation.TryParse(expect[i], out _, out var error))
                    {
                        errors.Add($"{prefix}.buckets.{name}.expect[{i.ToString(CultureInfo.InvariantCulture)}]", error);
                    }
                }
            }
        }

        if (profile.Xids is not { Count: > 0 })
        {
            errors.Add($"{prefix}.xids", "give at least one Xid and its bucket");
            return;
        }

        foreach (var (code, bucket) in profile.Xids)
        {
            if (!int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var xid) || xid is < 1 or > ApiInputRules.MaxXid)
            {
                errors.Add($"{prefix}.xids", $"keys are Xids, whole numbers from 1 to {ApiInputRules.MaxXid.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (bucket is null || profile.Buckets?.ContainsKey(bucket) != true)
            {
                errors.Add($"{prefix}.xids.{code}", "names a bucket the profile does not define");
            }
        }
    }

    /// <summary>The Xids of <paramref name="profile"/> that are drilled (their bucket has expectations), in Xid order, with their bucket.</summary>
    public static IReadOnlyList<(int Xid, string Bucket, ProfileBucket Expectations)> Drillable(ExpectationProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return [.. (profile.Xids ?? new Dictionary<string, string?>())
            .Select(x => (Xid: int.Parse(x.Key, NumberStyles.None, CultureInfo.InvariantCulture), Bucket: x.Value!))
            .Where(x => profile.Buckets![x.Bucket]!.Expect!.Count > 0)
            .OrderBy(x => x.Xid)
            .Select(x => (x.Xid, x.Bucket, profile.Buckets![x.Bucket]!))];
    }

    /// <summary>
    /// The suite drills of a <c>from_profile</c> block (checked: 400 with an error per field under <c>from_profile</c>);
    /// each named <c>xid &lt;n&gt; &lt;bucket&gt;</c>.
    /// </summary>
    public static IReadOnlyList<SuiteDrillBody> DrillsOf(RequestErrors errors, SuiteProfileBody block)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(block);
        const string prefix = "from_profile";
        var before = errors.Count;
        ExpectationProfile? profile = null;
        if ((block.ProfileName is null) == (block.Profile is null))
        {
            errors.Add($"{prefix}.profile_name", $"give exactly one of profile_name (shipped: {string.Join(", ", All.Keys)}) or profile (inline)");
        }
        else if (block.ProfileName is not null && !All.TryGetValue(block.ProfileName, out profile))
        {
            errors.Add($"{prefix}.profile_name", $"is not a shipped profile ({string.Join(", ", All.Keys)})");
        }
        else if (block.Profile is not null)
        {
            profile = block.Profile;
            Check(errors, $"{prefix}.profile", profile);
        }

        if (block.NodeSelector is null)
        {
            errors.Add($"{prefix}.node_selector", "give the node pool: a label selector");
        }

        if (errors.Count > before || profile is null)
        {
            return [];
        }

        var drillable = Drillable(profile);
        var wanted = block.Xids is { Count: > 0 } xids ? xids.ToHashSet() : null;
        foreach (var xid in wanted ?? [])
        {
            if (!drillable.Any(d => d.Xid == xid))
            {
                errors.Add($"{prefix}.xids", $"Xid {xid.ToString(CultureInfo.InvariantCulture)} is not a drilled Xid of the profile (absent, or its bucket expects nothing)");
            }
        }

        return [.. drillable.Where(d => wanted is null || wanted.Contains(d.Xid)).Select(d => new SuiteDrillBody
        {
            Name = $"xid {d.Xid.ToString(CultureInfo.InvariantCulture)} {d.Bucket}",
            NodeSelector = block.NodeSelector,
            Count = block.Count,
            Xid = d.Xid,
            GpuId = block.GpuId,
            Expect = [.. d.Expectations.Expect!],
            TimeoutSeconds = block.TimeoutSeconds ?? d.Expectations.TimeoutSeconds,
        })];
    }

    private static Dictionary<string, ExpectationProfile> Load()
    {
        var assembly = typeof(ExpectationProfiles).Assembly;
        var profiles = new Dictionary<string, ExpectationProfile>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var profile = Parse(reader.ReadToEnd());
            var errors = new RequestErrors();
            Check(errors, resource, profile);
            if (errors.Count > 0)
            {
                throw new InvalidDataException($"The shipped profile {resource} is invalid: {errors.ToProblem().Message}");
            }

            profiles[profile.Name ?? Path.GetFileNameWithoutExtension(resource)] = profile;
        }

        return profiles;
    }
}
