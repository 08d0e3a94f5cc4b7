#pragma once
// The resolver: a pure function of per-layer readings (no I/O, no clock).
// Rule (Microsoft, "Configure serial or COM port redirection"): the most
// restrictive setting is the resultant behaviour. A layer that says nothing
// takes the product's default; a layer whose source failed denies (fail closed).

#include <comredir/policy/resolve/decision.hpp>

namespace comredir::policy {

Decision resolve(const Feature& feature, Product product, ClientOs client_os,
                 const FeatureInputs& in);
/// The same, moving the inputs' provenance into the decision instead of copying it.
Decision resolve(const Feature& feature, Product product, ClientOs client_os, FeatureInputs&& in);

}  // namespace comredir::policy
