/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "allocator-comparison.h"

#include "split-training-output-helper.h"

#include "ns3/input-error.h"
#include "ns3/split-cost-model.h"

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

namespace ns3
{

namespace
{

/// Shorthand: a CSV number as rounds.csv writes it.
std::string
Num(double v)
{
    return SplitTrainingOutputHelper::CsvNumber(v);
}

} // namespace

const std::vector<std::string>&
AllocatorComparison::MetricNames()
{
    static const std::vector<std::string> names{"energy_j",
                                                "device_energy_j",
                                                "edge_energy_j",
                                                "makespan_s",
                                                "mean_delay_s",
                                                "stability",
                                                "objective",
                                                "prediction_error"};
    return names;
}

ComparisonRun
AllocatorComparison::FromAllocation(const RoundState& state, const Allocation& allocation)
{
    SplitCostModel model(state);
    ComparisonRun run;
    run.users = state.users.size();
    run.servers = state.servers.size();
    run.rounds = 1;
    double sumDelay = 0;
    for (uint32_t n = 0; n < state.users.size(); ++n)
    {
        const CostTerms t = model.UserTerms(n, allocation.users[n]);
        run.deviceEnergyJ += t.deviceEnergyJ + t.txEnergyJ;
        run.edgeEnergyJ += t.edgeEnergyJ;
        run.makespanS = std::max(run.makespanS, t.TotalDelayS());
        sumDelay += t.TotalDelayS();
        run.stability += t.stability;
    }
    run.energyJ = run.deviceEnergyJ + run.edgeEnergyJ;
    run.meanDelayS = state.users.empty() ? NAN : sumDelay / state.users.size();
    run.objective = model.Objective(allocation);
    return run;
}

ComparisonRun
AllocatorComparison::FromReports(const std::vector<RoundReport>& reports)
{
    ComparisonRun run;
    run.rounds = reports.size();
    double sumDelay = 0;
    uint32_t delays = 0;
    double measuredMakespan = 0;
    double predictedMakespan = 0;
    for (const auto& r : reports)
    {
        const RoundTotals s = SplitTrainingOutputHelper::Totals(r);
        run.deviceEnergyJ += s.compute + s.radio;
        run.edgeEnergyJ += s.edge;
        run.makespanS += s.makespan;
        sumDelay += s.sumDelay;
        delays += s.done;
        run.stability += r.predictedTotals.stability;
        run.objective += r.predictedObjective;
        run.devicesFailed += s.failed;
        if (s.done > 0)
        {
            measuredMakespan += s.makespan;
            predictedMakespan += s.predMakespan;
        }
    }
    if (reports.empty())
    {
        return run;
    }
    const double k = reports.size();
    run.deviceEnergyJ /= k;
    run.edgeEnergyJ /= k;
    run.energyJ = run.deviceEnergyJ + run.edgeEnergyJ;
    run.makespanS /= k;
    run.meanDelayS = delays > 0 ? sumDelay / delays : NAN;
    run.stability /= k;
    run.objective /= k;
    run.predictionError = predictedMakespan > 0 ? measuredMakespan / predictedMakespan - 1 : NAN;
    return run;
}

double
AllocatorComparison::Metric(const ComparisonRun& r, const std::string& metric)
{
    if (metric == "energy_j")
    {
        return r.energyJ;
    }
    if (metric == "device_energy_j")
    {
        return r.deviceEnergyJ;
    }
    if (metric == "edge_energy_j")
    {
        return r.edgeEnergyJ;
    }
    if (metric == "makespan_s")
    {
        return r.makespanS;
    }
    if (metric == "mean_delay_s")
    {
        return r.meanDelayS;
    }
    if (metric == "stability")
    {
        return r.stability;
    }
    if (metric == "objective")
    {
        return r.objective;
    }
    if (metric == "prediction_error")
    {
        return r.predictionError;
    }
    throw InputError("unknown comparison metric '" + metric +
                     "'; expected energy_j, device_energy_j, edge_energy_j, makespan_s, "
                     "mean_delay_s, stability, objective or prediction_error");
}

std::vector<MetricSummary>
AllocatorComparison::Summarise(const std::vector<ComparisonRun>& runs,
                               const std::vector<std::string>& allocators)
{
    std::vector<MetricSummary> out;
    for (const auto& allocator : allocators)
    {
        for (const auto& metric : MetricNames())
        {
            MetricSummary s;
            s.allocator = allocator;
            s.metric = metric;
            std::vector<double> values;
            for (const auto& r : runs)
            {
                const double v = r.allocator == allocator ? Metric(r, metric) : NAN;
                if (!std::isnan(v))
                {
                    values.push_back(v);
                }
            }
            s.n = values.size();
            if (values.empty())
            {
                out.push_back(s);
                continue;
            }
            const bool infinite =
                std::any_of(values.begin(), values.end(), [](double v) { return std::isinf(v); });
            if (infinite)
            {
                s.mean = std::numeric_limits<double>::infinity(); // unbounded: no spread
                out.push_back(s);
                continue;
            }
            double sum = 0;
            for (double v : values)
            {
                sum += v;
            }
            s.mean = sum / values.size();
            if (values.size() >= 2)
            {
                double ss = 0;
                for (double v : values)
                {
                    ss += (v - s.mean) * (v - s.mean);
                }
                s.std = std::sqrt(ss / (values.size() - 1));
                const boost::math::students_t t(values.size() - 1.0);
                const double q = boost::math::quantile(boost::math::complement(t, 0.025));
                const double half = q * s.std / std::sqrt(double(values.size()));
                s.ciLow = s.mean - half;
                s.ciHigh = s.mean + half;
            }
            out.push_back(s);
        }
    }
    return out;
}

void
AllocatorComparison::WriteRunsCsv(const std::string& path, const std::vector<ComparisonRun>& runs)
{
    std::ofstream f(path);
    if (!f)
    {
        throw InputError("cannot write '" + path + "': give a writable --outputDir");
    }
    f << "allocator,run,mode,preset,users,servers,rounds,energy_j,device_energy_j,edge_energy_j,"
         "makespan_s,mean_delay_s,stability,objective,prediction_error\n";
    for (const auto& r : runs)
    {
        f << r.allocator << ',' << r.run << ',' << r.mode << ',' << r.preset << ',' << r.users
          << ',' << r.servers << ',' << r.rounds << ',' << Num(r.energyJ) << ','
          << Num(r.deviceEnergyJ) << ',' << Num(r.edgeEnergyJ) << ',' << Num(r.makespanS) << ','
          << Num(r.meanDelayS) << ',' << Num(r.stability) << ',' << Num(r.objective) << ','
          << Num(r.predictionError) << '\n';
    }
}

void
AllocatorComparison::WriteSummaryCsv(const std::string& path,
                                     const std::vector<MetricSummary>& summaries)
{
    std::ofstream f(path);
    if (!f)
    {
        throw InputError("cannot write '" + path + "': give a writable --outputDir");
    }
    f << "allocator,metric,n,mean,std,ci95_low,ci95_high\n";
    for (const auto& s : summaries)
    {
        f << s.allocator << ',' << s.metric << ',' << s.n << ',' << Num(s.mean) << ',' << Num(s.std)
          << ',' << Num(s.ciLow) << ',' << Num(s.ciHigh) << '\n';
    }
}

void
AllocatorComparison::PrintTable(std::ostream& os,
                                const std::vector<MetricSummary>& summaries,
                                const std::vector<std::string>& allocators)
{
    std::map<std::pair<std::string, std::string>, const MetricSummary*> byKey;
    for (const auto& s : summaries)
    {
        byKey[{s.allocator, s.metric}] = &s;
    }
    const std::vector<std::pair<std::string, std::string>> columns{
        {"energy_j", "energy J"},
        {"makespan_s", "makespan s"},
        {"mean_delay_s", "mean delay s"},
        {"stability", "stability"},
        {"objective", "objective"},
        {"prediction_error", "pred. err %"}};
    size_t width = 9;
    for (const auto& a : allocators)
    {
        width = std::max(width, a.size());
    }
    os << std::left << std::setw(width + 2) << "allocator" << std::right;
    for (const auto& c : columns)
    {
        os << std::setw(22) << c.second;
    }
    os << "\n";
    for (const auto& a : allocators)
    {
        os << std::left << std::setw(width + 2) << a << std::right;
        for (const auto& c : columns)
        {
            auto it = byKey.find({a, c.first});
            std::ostringstream cell;
            if (it == byKey.end() || it->second->n == 0)
            {
                cell << "-";
            }
            else if (std::isinf(it->second->mean))
            {
                cell << "unbounded";
            }
            else
            {
                const double scale = c.first == "prediction_error" ? 100.0 : 1.0;
                const MetricSummary& s = *it->second;
                cell << std::setprecision(4) << s.mean * scale;
                if (!std::isnan(s.ciHigh))
                {
                    cell << " +- " << std::setprecision(2) << (s.ciHigh - s.mean) * scale;
                }
            }
            os << std::setw(22) << cell.str();
        }
        os << "\n";
    }
    os << "(mean +- 95 % CI half-width over the runs)\n";
}

} // namespace ns3
