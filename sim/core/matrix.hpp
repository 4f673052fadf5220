#pragma once
#include <Eigen/Core>

namespace geosim {

/// Dyadic matrices are indexed M(a, b) with a the subject and b the object: a flow F(a, b) goes
/// from a to b; influence I(a, b) is a's influence over b; dependence D(a, b) is a's dependence
/// on b. Row-major so that a row (one subject) is contiguous, matching the HDF5 layout.
using Matrix = Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::ArrayXd;

}  // namespace geosim
