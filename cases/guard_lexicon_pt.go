package cases

var lexiconPT = lexicon{
	rating: []string{
		"avaliacao", "avaliacoes", "qualificacao", "qualificacoes", "estrelas", "estrelinhas", "pontuacao",
		"nos avaliar", "nos avalie", "nos avaliem", "avaliar a loja", "avaliar o vendedor", "avaliar a compra",
		"avaliar o produto", "avaliar com", "avalie com", "avaliar de novo", "reavaliar", "reavalie",
		"depoimento",
	},
	ratingAmbiguous: []string{
		"opiniao", "opinioes", "comentario", "comentarios", "nota", "notas", "publicacao", "avaliar", "avalie",
		"o que escreveu", "o que colocou", "o que publicou", "o que disse",
	},
	ratingUnsure: []string{"nota", "estrela", "avaliar", "avalie", "pontos"},
	ownerBefore:  []string{"sua", "seu", "suas", "seus", "tua", "teu", "negativa", "negativo", "ma", "baixa", "publica"},
	ownerAfter: []string{
		"que deixou", "que nos deu", "que deu", "que colocou", "que publicou", "que escreveu", "que fez",
		"sobre nos", "sobre a loja", "sobre o vendedor", "no anuncio", "publica", "negativa", "negativo",
	},
	innocent: []string{
		"nota fiscal", "notas fiscais", "nota de credito", "nota de debito", "nf e", "nfe", "tome nota",
		"anotamos", "em nossa opiniao", "na nossa opiniao", "vamos avaliar", "iremos avaliar", "vou avaliar",
		"avaliar o caso", "avaliar seu caso", "avaliar o seu caso", "avaliar a situacao", "avaliar o pedido",
		"avaliar as fotos", "avaliar a foto", "avaliar sua solicitacao", "duvidas ou comentarios",
		"qualquer comentario",
	},
	ask: []string{
		"por favor", "pode", "poderia", "podia", "voce pode", "voce poderia", "gostariamos", "gostaria",
		"agradeceriamos", "agradeceria", "seria otimo", "seria muito", "nos ajudaria", "adorariamos",
		"considerar", "considere", "se puder", "se possivel", "sera que", "quem sabe", "que tal",
		"custa", "se importa", "se importaria", "teria como", "tem como", "da pra", "da para", "pedimos",
		"peco", "pedir", "significaria muito", "faria toda a diferenca", "faria diferenca", "conto com",
		"contamos com", "convidamos", "te convido", "nao custa", "e se",
	},
	change: []string{
		"alterar", "altere", "altera", "altera la", "mudar", "mude", "muda", "trocar", "troque", "troca",
		"atualizar", "atualize", "atualiza", "editar", "edite", "edita", "corrigir", "corrija", "remover",
		"remova", "remove", "excluir", "exclua", "exclui", "apagar", "apague", "apaga", "tirar", "tire",
		"tira", "retirar", "retire", "retira", "reconsiderar", "reconsidere", "rever", "reveja", "revisar",
		"revise", "aumentar", "aumente", "subir", "suba", "ajustar", "ajuste", "refazer", "refaca",
		"de novo", "novamente", "outra vez", "mais estrelas", "dar uma olhada", "olhar de novo", "transformar",
		"passar para", "deixar em", "mexer", "mexa", "desfazer",
	},
	changeForward: []string{"melhorar", "melhore", "melhora", "consertar", "arrumar"},
	solicit: []string{
		"deixar", "deixe", "deixa", "deixem", "nos deixe", "dar", "nos de", "dar nos",
		"colocar", "coloque", "coloca", "escrever", "escreva", "publicar", "publique", "compartilhar",
		"compartilhe", "marcar", "marque", "mandar", "mande", "clicar", "clique", "escolher", "escolha",
	},
	positive: []string{
		"positiva", "positivo", "positivas", "boa", "bom", "boas", "melhor", "otima", "otimo", "excelente",
		"perfeita", "perfeito", "alta", "maxima", "maximo", "cinco", "5", "dez", "10", "favoravel", "top",
	},
	benefit: []string{
		"reembolso", "reembolsar", "reembolsamos", "reembolsaremos", "estorno", "estornar", "estornamos",
		"devolver o dinheiro", "devolucao do dinheiro", "dinheiro de volta", "cupom", "cupons", "desconto",
		"descontos", "brinde", "brindes", "presente", "presentes", "bonus", "cashback", "compensacao",
		"compensar", "compensamos", "reenvio", "reenviar", "reenviamos", "novo produto", "um novo",
		"frete gratis", "gratis", "gratuito", "premio", "codigo de desconto", "percent de desconto", "percent off", "ressarcimento", "ressarcir",
		"indenizacao",
	},
	benefitAmbiguous: []string{
		"troca", "oferta", "pontos", "beneficio", "promocao", "pix", "dinheiro", "pagamento", "credito", "vale",
	},
	condition: []string{
		"em troca", "se voce", "se nos", "se mudar", "se alterar", "se atualizar", "se remover", "se tirar",
		"se apagar", "se deixar", "se der", "se melhorar", "se a", "se o", "quando", "assim que", "logo que",
		"depois que", "apos", "como agradecimento", "para agradecer", "e te", "e lhe", "desde que",
		"somente se", "so se", "com a condicao", "ao mudar", "ao alterar", "ao atualizar", "ao remover",
		"ao deixar", "combinado", "trato",
	},
	exchangeFor:  []string{"por", "por uma", "pela", "pelo", "por sua", "em troca de"},
	thanks:       []string{"obrigado", "obrigada", "agradecemos", "agradeco", "desculpe", "desculpa", "lamentamos"},
	productNouns: []string{"produto", "qualidade", "hotel", "material", "item", "modelo", "servico", "marca"},
}
