package io.ptinv.torch.parity;

import static org.assertj.core.api.Assertions.assertThat;

import io.ptinv.torch.testing.Golden;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every golden row, PTI's included, passes from the diffusers folder and from the single-file checkpoint. */
class ParitySuiteTest {

  @Test
  void everyRowPassesFromFolderAndSingleFile() {
    List<ParityRow> rows = new ParitySuite(Golden.dir()).run();
    rows.forEach(System.out::println);
    for (String prefix : new String[] {"folder/", "single-file/"}) {
      for (String key : new String[] {"text.ids", "text.hidden", "vae.latent_mean", "vae.latent_logvar", "vae.z0_scaled",
          "vae.decoded", "unet.eps.t1", "unet.eps.t261", "unet.eps.t981", "unet.eps_cfg7.5.t501",
          "unet.perlayer.eps.t501", "ddim.timesteps50", "ddim.alphas_cumprod", "ddim.step.t501.out",
          "ddim.invstep.t521.eps", "ddim.invstep.t521.out", "grad.loss", "grad.d_cond", "pti.inversion",
          "pti.embeddings", "pti.reconstruction", "pti.edit.eta0.9"}) {
        assertThat(rows).as("row %s%s", prefix, key).anySatisfy(r -> {
          assertThat(r.name()).isEqualTo(prefix + key);
          assertThat(r.status()).isEqualTo(ParityRow.Status.PASS);
        });
      }
    }
    assertThat(rows).allMatch(r -> r.status() == ParityRow.Status.PASS);
  }
}
