# The reference a user would otherwise pick for chapter 12: scikit-learn's spherical
# GaussianMixture on the same pixels. Run from the repository root after
# `pip install scikit-learn pillow`; compare with `workbook bench segment`.
import time, numpy as np
from PIL import Image
from sklearn.mixture import GaussianMixture
x = np.asarray(Image.open("data/images/coffee.png").convert("RGB"), dtype=np.float64).reshape(-1, 3) / 255
# Time iterations after the initialisation: fit with max_iter=1 from the same warm start, then 6.
g = GaussianMixture(n_components=64, covariance_type="spherical", max_iter=1, tol=0, random_state=1, init_params="k-means++")
g.fit(x)
g2 = GaussianMixture(n_components=64, covariance_type="spherical", max_iter=5, tol=0, weights_init=g.weights_, means_init=g.means_, precisions_init=g.precisions_)
t = time.perf_counter(); g2.fit(x); el = time.perf_counter() - t
print(f"sklearn spherical K=64 N={len(x)}: {el/5:.3f} s/iteration (5 iterations, threads default)")
