using FaultApi.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace FaultApi.Tests.Deploy;

/// <summary>
/// The canary's alerts (the PrometheusRule of the prometheus-operator overlay, as <c>kubectl kustomize</c> renders it):
/// valid for Prometheus (<c>promtool check rules</c>) and firing when they should (<c>promtool test rules</c> on series
/// shaped as the API exports them: <c>fault_api_suite_last_result{suite,verdict}</c>,
/// <c>fault_api_suite_last_success_timestamp_seconds{suite}</c>).
/// </summary>
public sealed class CanaryAlertTests : IDisposable
{
    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task CanaryRules_PromtoolCheckRules_Pass()
    {
        var rules = WriteRules();

        var (code, output) = await Promtool.RunAsync(null, "check", "rules", rules);

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 3 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CanaryRules_PromtoolTestRules_FireOnAFailedRunAStaleSuccessAndNoSuccessAtAll()
    {
        WriteRules();
        var tests = _directory.Combine("canary-alerts.test.yml");
        await File.WriteAllTextAsync(tests, """
            rule_files: [canary-alerts.yml]
            evaluation_interval: 1m
            tests:
              # A run that failed: the alert fires on the next evaluation, and is gone once a run passed again.
              - interval: 1m
                input_series:
                  - series: 'fault_api_suite_last_result{suite="canary", verdict="passed", instance="a"}'
                    values: '1 1 0 0 0 1 1'
                  - series: 'fault_api_suite_last_result{suite="canary", verdict="failed", instance="a"}'
                    values: '0 0 1 1 1 0 0'
                  - series: 'fault_api_suite_last_result{suite="other", verdict="failed", instance="a"}'
                    values: '1 1 1 1 1 1 1'
                  - series: 'fault_api_suite_last_success_timestamp_seconds{suite="canary", instance="a"}'
                    values: '0 0 0 0 0 300 300'
                alert_rule_test:
                  - eval_time: 1m
                    alertname: FaultInjectionCanaryFailed
                    exp_alerts: []
                  - eval_time: 3m
                    alertname: FaultInjectionCanaryFailed
                    exp_alerts:
                      - exp_labels: {severity: warning, suite: canary}
                        exp_annotations:
                          summary: "The GPU remediation canary did not pass"
                          description: "The last 'canary' suite did not pass: a GPU failure class no longer gets the remediation the runbook promises. See `faultctl suite list` and the suite's JUnit report (faultctl suite get <id> --junit out.xml)."
                  - eval_time: 6m
                    alertname: FaultInjectionCanaryFailed
                    exp_alerts: []
              # The last success is older than 26 hours (the daily canary stopped passing, or stopped running).
              - interval: 1h
                input_series:
                  - series: 'fault_api_suite_last_success_timestamp_seconds{suite="canary", instance="a"}'
                    values: '0x30'
                alert_rule_test:
                  - eval_time: 25h
                    alertname: FaultInjectionCanaryNoRecentSuccess
                    exp_alerts: []
                  - eval_time: 27h
                    alertname: FaultInjectionCanaryNoRecentSuccess
                    exp_alerts:
                      - exp_labels: {severity: warning, suite: canary}
                        exp_annotations:
                          summary: "The GPU remediation canary has not passed for more than 26 hours"
                          description: "No 'canary' suite passed in the last 26 hours: remediation may have silently stopped working, or the canary CronJob no longer runs."
              # No kept record of a passing canary at all for 26 hours.
              - interval: 1h
                input_series:
                  - series: 'fault_api_suite_last_result{suite="canary", verdict="failed", instance="a"}'
                    values: '1x30'
                alert_rule_test:
                  - eval_time: 20h
                    alertname: FaultInjectionCanaryNeverPassed
                    exp_alerts: []
                  - eval_time: 27h
                    alertname: FaultInjectionCanaryNeverPassed
                    exp_alerts:
                      - exp_labels: {severity: warning, suite: canary}
                        exp_annotations:
                          summary: "No kept record of a passing GPU remediation canary"
                          description: "The API keeps no 'canary' suite that passed: the canary never ran, always fails, or its records were pruned."
            """);

        var (code, output) = await Promtool.RunAsync(null, "test", "rules", tests);

        Assert.True(code == 0, output);
    }

    // The rendered PrometheusRule's spec.groups as a Prometheus rule file.
    private string WriteRules()
    {
        var rule = DeployManifests.Load("prometheus-operator").Custom("PrometheusRule");
        var groups = ((YamlMappingNode)rule.Children[new YamlScalarNode("spec")]).Children[new YamlScalarNode("groups")];
        var path = _directory.Combine("canary-alerts.yml");
        using var writer = new StreamWriter(path);
        new YamlStream(new YamlDocument(new YamlMappingNode { { new YamlScalarNode("groups"), groups } })).Save(writer, assignAnchors: false);
        return path;
    }
}
