/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "round-state-generator.h"

#include "llm-profile-helper.h"

#include "ns3/input-error.h"
#include "ns3/llm-profile.h"
#include "ns3/log.h"

#include <cmath>
#include <random>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdgeLlmRoundStateGenerator");

namespace
{

/**
 * Portable draws from std::mt19937_64: the engine's output sequence is fixed by the standard,
 * the distributions of <random> are not, so the mapping to [0,1) and to integers is done here.
 */
class PortableRng
{
  public:
    explicit PortableRng(uint64_t seed)
        : m_engine(seed)
    {
    }

    /** @return uniform double in [0, 1) with 53 random bits */
    double Unit()
    {
        return static_cast<double>(m_engine() >> 11) * 0x1.0p-53;
    }

    /** @return uniform double in [lo, hi) */
    double Real(double lo, double hi)
    {
        return lo + (hi - lo) * Unit();
    }

    /** @return uniform integer in {lo, …, hi} (as a double) */
    double Int(uint64_t lo, uint64_t hi)
    {
        const uint64_t span = hi - lo + 1;
        uint64_t k = static_cast<uint64_t>(Unit() * static_cast<double>(span));
        if (k >= span)
        {
            k = span - 1;
        }
        return static_cast<double>(lo + k);
    }

  private:
    std::mt19937_64 m_engine; //!< engine
};

/** Minimum user-server distance, m: keeps the path loss finite. */
constexpr double kMinDistanceM = 10.0;

/**
 * @param dbmPerHz noise density in dBm/Hz
 * @return W/Hz
 */
double
DbmPerHzToWPerHz(double dbmPerHz)
{
    return std::pow(10.0, dbmPerHz / 10.0) * 1e-3;
}

/**
 * Linear channel gain of the 3GPP-style path loss 128.1 + 37.6 log10(d/km) dB.
 * @param distanceM distance in m (clamped to kMinDistanceM)
 * @return gain
 */
double
PathGain(double distanceM)
{
    const double dKm = std::max(distanceM, kMinDistanceM) / 1000.0;
    const double lossDb = 128.1 + 37.6 * std::log10(dKm);
    return std::pow(10.0, -lossDb / 10.0);
}

/** Where the servers are and where the users were dropped. */
struct Geometry
{
    std::string layout;                             //!< square, hex or line
    double spacing{500};                            //!< inter-site distance, m
    std::vector<std::pair<double, double>> servers; //!< server positions
    std::vector<std::pair<double, double>> users;   //!< user positions (in draw order)
};

/**
 * Server positions: a square grid with ceil(sqrt(M)) columns, a hexagonal grid (rows offset by
 * half a spacing, row pitch sqrt(3)/2 spacing) or a line along x.
 */
Geometry
MakeGeometry(const std::string& layout, uint32_t servers, double spacing)
{
    Geometry g;
    g.layout = layout;
    g.spacing = spacing;
    const uint32_t cols = static_cast<uint32_t>(std::ceil(std::sqrt(static_cast<double>(servers))));
    for (uint32_t m = 0; m < servers; ++m)
    {
        if (layout == "line")
        {
            g.servers.emplace_back(m * spacing, 0.0);
        }
        else if (layout == "hex")
        {
            const uint32_t row = m / cols;
            const double x = (m % cols) * spacing + (row % 2 ? spacing / 2 : 0.0);
            g.servers.emplace_back(x, row * spacing * std::sqrt(3.0) / 2);
        }
        else
        {
            g.servers.emplace_back((m % cols) * spacing, (m / cols) * spacing);
        }
    }
    return g;
}

/**
 * Draws a user position uniformly over the union of the servers' cells (squares of side
 * spacing centred on each server; hexagons of inradius spacing/2 on the hex layout) and fills
 * the gains to every server.
 */
void
DropUser(PortableRng& rng, Geometry& g, UserState& u)
{
    const auto cell = static_cast<size_t>(rng.Int(0, g.servers.size() - 1));
    double dx = 0;
    double dy = 0;
    if (g.layout == "hex")
    {
        // rejection sampling in the bounding box of a pointy-top hexagon of inradius s/2
        const double r = g.spacing / std::sqrt(3.0); // circumradius
        do
        {
            dx = rng.Real(-0.5, 0.5) * g.spacing;
            dy = rng.Real(-1.0, 1.0) * r;
        } while (std::abs(dy) > r - std::abs(dx) / std::sqrt(3.0));
    }
    else
    {
        dx = rng.Real(-0.5, 0.5) * g.spacing;
        dy = rng.Real(-0.5, 0.5) * g.spacing;
    }
    const double x = g.servers[cell].first + dx;
    const double y = g.servers[cell].second + dy;
    g.users.emplace_back(x, y);
    u.gain.resize(g.servers.size());
    for (size_t m = 0; m < g.servers.size(); ++m)
    {
        u.gain[m] = PathGain(std::hypot(x - g.servers[m].first, y - g.servers[m].second));
    }
}

// ---- paper preset (doc/edge-llm.rst, "Instance presets") ----------------------------------
constexpr uint32_t kPaperLayers = 32;
constexpr uint32_t kPaperHidden = 1024;
constexpr uint32_t kPaperBatch = 512;
constexpr double kPaperBitsPerElement = 16; // fp16 activations
constexpr double kPaperKappa = 1e-28;
constexpr double kPaperNoiseDbmPerHz = -134; // read as a density (our choice, see doc)

// ---- both presets ------------------------------------------------------------------------------
constexpr double kServerBandwidthHz = 20e6;
constexpr double kServerTxPowerW = 10;
constexpr double kLipschitz = 1;
constexpr uint64_t kDatasetMin = 1000;
constexpr uint64_t kDatasetMax = 5000;

// ---- realistic preset (doc/edge-llm.rst, "Instance presets") -------------------------------
constexpr double kRealDeviceCores = 1024;
constexpr double kRealDeviceFlopsPerCycle = 2;
constexpr double kRealDevicePowerW = 5;
constexpr double kRealPMaxW = 0.2;
constexpr double kRealNoiseDbmPerHz = -174 + 9; // thermal + 9 dB noise figure
constexpr double kRealServerCores = 16896;      // H100 SXM CUDA cores
constexpr double kRealServerFMaxHz = 1.98e9;    // H100 SXM boost clock
constexpr double kRealServerPowerW = 700;       // H100 SXM board power
constexpr double kRealFallbackFlopsPerS = 340e12;

RoundState
GeneratePaper(const GeneratorOptions& o, PortableRng& rng, Geometry& geo)
{
    RoundState s;
    s.layers = kPaperLayers;
    s.noisePsdWPerHz = DbmPerHzToWPerHz(kPaperNoiseDbmPerHz);
    s.objective = o.objective;
    s.servers.resize(o.servers);
    for (ServerState& srv : s.servers)
    {
        srv.bandwidthHz = kServerBandwidthHz;
        srv.fMaxHz = rng.Real(1e9, 3e9);
        srv.cores = rng.Int(2560, 5120);
        srv.flopsPerCycle = rng.Int(1, 2);
        srv.kappa = kPaperKappa;
        srv.txPowerW = kServerTxPowerW;
    }
    s.users.resize(o.users);
    for (UserState& u : s.users)
    {
        DropUser(rng, geo, u);
        const double d = rng.Int(512, 1024);
        TransformerShape shape;
        shape.layers = kPaperLayers;
        shape.hidden = kPaperHidden;
        shape.batch = kPaperBatch;
        shape.seqLen = static_cast<uint32_t>(d);
        u.tokens = d;
        u.batch = kPaperBatch;
        u.flopsPerLayer = LlmProfile::FormulaBlockFlops(shape);
        u.payloadBits = kPaperBatch * d * kPaperHidden * kPaperBitsPerElement;
        u.downlinkBits = u.payloadBits;
        u.pMaxW = rng.Real(1, 2);
        u.fMaxHz = rng.Real(0.5e9, 1e9);
        u.cores = rng.Int(4, 6);
        u.flopsPerCycle = 1;
        u.kappa = kPaperKappa;
        u.lipschitz = kLipschitz;
        u.datasetSize = rng.Int(kDatasetMin, kDatasetMax);
    }
    return s;
}

RoundState
GenerateRealistic(const GeneratorOptions& o, PortableRng& rng, Geometry& geo)
{
    const LlmProfile profile = LlmProfileHelper::Load(o.model, o.batch, o.seqLen, o.profileCsv);
    RoundState s;
    s.layers = profile.GetNumBlocks();
    s.noisePsdWPerHz = DbmPerHzToWPerHz(kRealNoiseDbmPerHz);
    s.objective = o.objective;

    const double edgeTime = profile.GetMeasuredEdgeTimeS(0);
    double throughput = kRealFallbackFlopsPerS;
    if (std::isfinite(edgeTime) && edgeTime > 0)
    {
        throughput = profile.GetEdgeFlops(0) / edgeTime;
    }
    NS_LOG_INFO("realistic preset: " << o.model << " b" << o.batch << " s" << o.seqLen
                                     << ", edge throughput " << throughput << " FLOP/s");
    s.servers.resize(o.servers);
    for (ServerState& srv : s.servers)
    {
        srv.bandwidthHz = kServerBandwidthHz;
        srv.fMaxHz = kRealServerFMaxHz;
        srv.cores = kRealServerCores;
        srv.flopsPerCycle = throughput / (kRealServerCores * kRealServerFMaxHz);
        srv.kappa = kRealServerPowerW / std::pow(kRealServerFMaxHz, 3);
        srv.txPowerW = kServerTxPowerW;
    }
    s.users.resize(o.users);
    const double psi = profile.GetMeanBlockFlops();
    const double up = 8.0 * static_cast<double>(profile.GetSplitActivationBytes(1));
    const double down = 8.0 * static_cast<double>(profile.GetSplitGradientBytes(1));
    for (UserState& u : s.users)
    {
        DropUser(rng, geo, u);
        u.tokens = o.seqLen;
        u.batch = o.batch;
        u.flopsPerLayer = psi;
        u.payloadBits = up;
        u.downlinkBits = down;
        u.cores = kRealDeviceCores;
        u.flopsPerCycle = kRealDeviceFlopsPerCycle;
        u.fMaxHz = rng.Real(1.0e9, 1.5e9);
        u.kappa = kRealDevicePowerW / std::pow(u.fMaxHz, 3);
        u.pMaxW = kRealPMaxW;
        u.lipschitz = kLipschitz;
        u.datasetSize = rng.Int(kDatasetMin, kDatasetMax);
    }
    return s;
}

} // namespace

RoundState
RoundStateGenerator::Generate(const GeneratorOptions& options)
{
    return GenerateDrop(options).state;
}

GeneratedDrop
RoundStateGenerator::GenerateDrop(const GeneratorOptions& options)
{
    if (options.users == 0)
    {
        throw InputError("generator: users = 0 is not allowed; expected at least 1 user");
    }
    if (options.servers == 0)
    {
        throw InputError("generator: servers = 0 is not allowed; expected at least 1 server");
    }
    if (!(options.interSiteDistanceM > 0) || !std::isfinite(options.interSiteDistanceM))
    {
        throw InputError(
            "generator: interSiteDistanceM = " + std::to_string(options.interSiteDistanceM) +
            " is not allowed; expected a positive distance in m");
    }
    if (options.layout != "square" && options.layout != "hex" && options.layout != "line")
    {
        throw InputError("generator: layout '" + options.layout +
                         "' is unknown; allowed values: square, hex, line");
    }
    PortableRng rng(options.seed);
    Geometry geo = MakeGeometry(options.layout, options.servers, options.interSiteDistanceM);
    RoundState s;
    if (options.preset == "paper")
    {
        s = GeneratePaper(options, rng, geo);
    }
    else if (options.preset == "realistic")
    {
        if (options.batch == 0 || options.seqLen == 0)
        {
            throw InputError("generator: realistic preset needs batch >= 1 and seqLen >= 1 "
                             "(got batch " +
                             std::to_string(options.batch) + ", seqLen " +
                             std::to_string(options.seqLen) + ")");
        }
        s = GenerateRealistic(options, rng, geo);
    }
    else
    {
        throw InputError("generator: preset '" + options.preset +
                         "' is unknown; allowed values: paper, realistic");
    }
    s.Validate("generated instance (preset " + options.preset + ")");
    GeneratedDrop drop;
    drop.state = std::move(s);
    drop.serverPositions = geo.servers;
    drop.userPositions = geo.users;
    return drop;
}

} // namespace ns3
